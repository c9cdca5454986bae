"""The pages of the main window's sidebar, in order."""

# key, title, module, class: a page's module is imported when the page is first shown, so
# starting the app imports and styles only the first page.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("dashboard", "Dashboard", "dashboard", "DashboardPage"),
    ("pupils", "Pupils", "pupils", "PupilsPage"),
    ("staff", "Staff", "staff", "StaffPage"),
    ("money", "Funding & contracts", "money", "MoneyPage"),
    ("reviews", "Reviews", "reviews", "ReviewsPage"),
    ("records", "Records", "records", "RecordsPage"),
    ("cover", "Cover", "cover", "CoverPage"),
)
