"""The shipping recipe, read: the Inno Setup script, the Windows workflow and the spec name
only files that exist in the repository or in the bundle the spec builds, and say what the
installer must do (per user, no admin, data never touched, upgrade in place). These cannot run
here (Windows only); the bundle itself is built and smoke-tested by .ci/run."""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "pyinstaller.spec"
ISS = ROOT / "packaging" / "sencodesk.iss"
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def spec_layout() -> tuple[str, list[str], dict[str, Path]]:
    """(the bundle folder's name, its programs, its data folders -> their sources), read from
    the spec's COLLECT, EXE and datas."""
    text = SPEC.read_text("utf-8")
    exes = re.findall(r'EXE\(pyz, a\.scripts, \[\], exclude_binaries=True, name="([^"]+)"', text)
    folder = re.search(r'COLLECT\([^)]*name="([^"]+)"', text)
    assert folder and exes
    datas = {
        dest: ROOT.joinpath(*re.findall(r'"([^"]+)"', src))
        for src, dest in re.findall(r'\(str\(ROOT((?: / "[^"]+")+)\), "([^"]+)"\)', text)
    }
    return folder.group(1), exes, datas


def bundle_file(relative: str) -> Path | None:
    """Where a file of the bundle comes from in the repository: a program is built (None),
    _internal/<data folder>/... is the repository's file."""
    _folder, exes, datas = spec_layout()
    parts = PureWindowsPath(relative.replace("/", "\\")).parts
    if len(parts) == 1 and parts[0].removesuffix(".exe") in exes:
        return None
    assert parts[0] == "_internal", f"{relative}: not in the bundle's layout"
    rest = "/".join(parts[1:])
    for dest, src in sorted(datas.items(), key=lambda d: -len(d[0])):
        if dest == "." and src.name == rest:
            return src
        if rest == dest or rest.startswith(dest + "/"):
            return src / rest[len(dest) :].lstrip("/")
    raise AssertionError(f"{relative}: no data folder of the spec holds it")


def iss() -> str:
    return ISS.read_text("utf-8")


def iss_defines() -> dict[str, str]:
    return dict(re.findall(r'#define (\w+) "([^"]*)"', iss()))


def expand(value: str) -> str:
    for name, val in iss_defines().items():
        value = value.replace("{#" + name + "}", val)
    return value


def setup_value(key: str) -> str:
    found = re.search(rf"^{key}=(.*)$", iss(), re.M)
    assert found, key
    return expand(found.group(1).strip())


def test_the_spec_finds_the_app_from_any_folder():
    text = SPEC.read_text("utf-8")
    assert "sys.path.insert(0, SPECPATH)" in text
    # every path the spec reads is anchored on its own folder, never the working directory
    for src in re.findall(r"\(str\(ROOT((?: / \"[^\"]+\")+)\)", text):
        assert ROOT.joinpath(*re.findall(r'"([^"]+)"', src)).exists(), src
    assert re.search(r'Analysis\(\s*\[str\(ROOT / "main.py"\)\]', text)
    _folder, exes, _datas = spec_layout()
    assert exes == ["SENCO Desk", "sencodesk"]
    assert 'name="SENCO Desk", console=False' in text and 'name="sencodesk", console=True' in text


def test_the_spec_keeps_what_the_app_loads_and_drops_what_it_never_does():
    namespace: dict = {}
    text = SPEC.read_text("utf-8")
    exec(text[text.index("UNUSED = ") : text.index("\n\n\ndef keep")], {"re": re}, namespace)
    unused = namespace["UNUSED"]
    for dropped in (
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt6Qml.dll",
        "PySide6/Qt6VirtualKeyboard.dll",
        "PySide6/opengl32sw.dll",
        "PySide6/Qt/qml/QtQuick/Controls/x.qml",
        "PySide6/translations/qt_de.qm",
        "PySide6/Qt6PdfQuick.dll",
    ):
        assert unused.search(dropped), dropped
    for kept in (
        "PySide6/Qt6Core.dll",
        "PySide6/Qt6Gui.dll",
        "PySide6/Qt6Widgets.dll",
        "PySide6/Qt6Pdf.dll",
        "PySide6/Qt6PdfWidgets.dll",
        "PySide6/Qt6PrintSupport.dll",
        "PySide6/Qt6Svg.dll",
        "PySide6/Qt6Network.dll",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/plugins/imageformats/qsvg.dll",
        "PySide6/plugins/iconengines/qsvgicon.dll",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libicudata.so.73",
        "resources/fonts/DejaVuSans.ttf",
        "db/versions/0001_initial_schema.py",
    ):
        assert not unused.search(kept), kept


def test_the_installer_is_per_user_without_admin_rights():
    assert setup_value("PrivilegesRequired") == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in iss()  # never offers to elevate
    assert setup_value("DefaultDirName").startswith(("{userpf}", "{localappdata}"))
    icons = re.findall(r"^Name: \"([^\"]+)\"; Filename: \"([^\"]+)\"", iss(), re.M)
    assert icons and all(name.startswith(("{userprograms}", "{userdesktop}")) for name, _ in icons)
    assert any(expand(name) == "{userprograms}\\SENCO Desk" for name, _ in icons)


def test_the_installer_upgrades_in_place_with_a_fixed_app_id():
    app_id = setup_value("AppId")
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", app_id), app_id
    assert setup_value("UsePreviousAppDir") == "yes"
    assert "{#MyAppVersion}" in re.search(r"^AppVersion=(.*)$", iss(), re.M).group(1)


def test_the_uninstaller_never_touches_the_data_folder():
    text = iss()
    assert not re.search(r"^\[Uninstall(Delete|Run)\]", text, re.M)
    # what the installer deletes is inside the program's folder only
    for section in re.findall(r"^\[InstallDelete\]\n((?:(?!^\[).*\n)*)", text, re.M):
        for name in re.findall(r'Name: "([^"]+)"', section):
            assert name.startswith("{app}\\"), name
    # and the program's folder is not the data folder (sencodesk.store.default_db_path)
    default_dir = setup_value("DefaultDirName").replace("{userpf}", "{localappdata}\\Programs")
    assert default_dir != "{localappdata}\\SENCO Desk"
    from sencodesk.places import APP_NAME

    assert APP_NAME == "SENCO Desk"  # %LOCALAPPDATA%\SENCO Desk, the folder left alone


def test_every_path_the_installer_names_exists():
    folder, _exes, _datas = spec_layout()
    defines = iss_defines()
    bundle = PureWindowsPath(defines["BundleDir"])
    assert bundle.name == folder and bundle.parent == PureWindowsPath("..\\dist")
    for key in ("SetupIconFile", "LicenseFile"):
        path = ISS.parent / PureWindowsPath(setup_value(key)).as_posix()
        assert path.is_file(), f"{key}: {path}"
    sources = re.findall(r'^Source: "([^"]+)"', iss(), re.M)
    assert sources == ["{#BundleDir}\\*"]
    for target in re.findall(r'Filename: "\{app\}\\([^"]+)"', iss()) + [
        PureWindowsPath(setup_value("UninstallDisplayIcon")).name
    ]:
        source = bundle_file(expand(target).replace("{app}\\", ""))
        assert source is None or source.is_file(), f"{target} -> {source}"
    for exe in ("MyAppExe", "MyCliExe"):
        assert bundle_file(defines[exe]) is None, exe  # a program the spec builds


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def workflow_runs() -> str:
    steps = workflow()["jobs"]["windows"]["steps"]
    return "\n".join(step.get("run", "") for step in steps)


def test_the_workflow_builds_smoke_tests_and_packages_on_windows():
    job = workflow()["jobs"]["windows"]
    assert job["runs-on"] == "windows-latest"
    runs = workflow_runs()
    assert 'pip install -e ".[bundle]"' in runs
    assert "pyinstaller --noconfirm ..\\pyinstaller.spec" in runs  # from another folder
    assert runs.count("packaging\\smoke_bundle.py") == 2  # the bundle, and the installed copy
    assert "packaging\\sencodesk.iss" in runs and "/DMyAppVersion=" in runs
    assert "/CURRENTUSER" in runs and "unins000.exe" in runs and "keep-me.txt" in runs


def test_every_path_the_workflow_names_exists():
    runs = workflow_runs()
    named = set(re.findall(r"(?:\.\.\\)?([\w.-]+(?:\\[\w.-]+)*\.(?:py|spec|iss|toml|md))", runs))
    assert named >= {
        "pyinstaller.spec",
        "packaging\\smoke_bundle.py",
        "packaging\\sencodesk.iss",
        "pyproject.toml",
        "CHANGELOG.md",
    }
    for name in named:
        assert (ROOT / PureWindowsPath(name).as_posix()).is_file(), name
    folder, _exes, _datas = spec_layout()
    assert f'"build-out\\dist\\{folder}"' in runs
    assert '$app = "$env:LOCALAPPDATA\\Programs\\SENCO Desk"' in runs  # {userpf}\SENCO Desk
    output = expand(setup_value("OutputBaseFilename")).replace(
        "0.0.0", "${{ steps.version.outputs.version }}"
    )
    assert f"dist\\{output}.exe" in runs
    assert setup_value("OutputDir") == "..\\dist"
    for step in workflow()["jobs"]["windows"]["steps"]:
        if "with" in step and "path" in step["with"]:
            assert step["with"]["path"].startswith("dist/SENCO-Desk-")
    assert '$data = "$env:LOCALAPPDATA\\SENCO Desk"' in runs
    for test in ("--version", "--self-test"):
        assert test in (ROOT / "packaging" / "smoke_bundle.py").read_text("utf-8")


def test_the_smoke_test_runs_the_programs_the_spec_builds():
    text = (ROOT / "packaging" / "smoke_bundle.py").read_text("utf-8")
    _folder, exes, _datas = spec_layout()
    assert f'CLI = "{exes[1]}.exe" if WINDOWS else "{exes[1]}"' in text
    assert f'GUI = "{exes[0]}.exe" if WINDOWS else "{exes[0]}"' in text


def test_the_guide_names_only_pictures_and_pages_that_exist():
    guide = ROOT / "docs" / "guide"
    pages = sorted(guide.glob("*.md"))
    assert [p.name for p in pages if p.name == "index.md"]
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if "://" not in target:
                assert (page.parent / target).is_file(), f"{page.name}: {target}"


def test_the_quick_start_pdf_is_current(tmp_path):
    import pdfplumber

    sys_path = str(ROOT / "docs")
    import sys

    sys.path.insert(0, sys_path)
    try:
        import quick_start_pdf
    finally:
        sys.path.remove(sys_path)
    fresh = quick_start_pdf.build(tmp_path / "quick-start.pdf")
    with pdfplumber.open(fresh) as new, pdfplumber.open(quick_start_pdf.OUT) as committed:
        assert len(committed.pages) == 1, "the quick start is one page"
        assert new.pages[0].extract_text() == committed.pages[0].extract_text(), (
            "docs/guide/quick-start.pdf is out of date: run python docs/quick_start_pdf.py"
        )


@pytest.mark.parametrize("doc", ["README.md", "docs/development.md"])
def test_the_docs_point_only_inside_the_repository(doc):
    text = (ROOT / doc).read_text("utf-8")
    assert "../shared" not in text and "/shared/" not in text


def _spec_functions() -> dict:
    """The spec's helper functions and GUIDE_PICTURES, run outside PyInstaller."""
    pytest.importorskip("PyInstaller")
    text = SPEC.read_text("utf-8")
    namespace: dict = {"ROOT": ROOT, "re": re}
    exec(text[text.index("from PyInstaller.utils.hooks") : text.index("datas = [\n")], namespace)
    return namespace


def test_the_spec_takes_the_runtime_dependencies_from_pyproject_not_a_hand_list():
    names = {n.lower() for n in _spec_functions()["runtime_distributions"]()}
    # pyproject's own, and theirs (tzdata: icalendar's, for Europe/London on Windows)
    for needed in ("pyside6", "sqlalchemy", "ijson", "reportlab", "holidays", "tzdata", "keyring"):
        assert needed in names, needed
    # pypdf: the merged file is made of the packs' own pages by reportlab (reports/pdf_pages)
    for dev_only in ("pytest", "pytest-qt", "mypy", "ruff", "pdfplumber", "pypdf", "pyinstaller"):
        assert dev_only not in names, dev_only


def test_the_bundle_carries_only_the_pictures_the_guide_shows():
    pictures = _spec_functions()["GUIDE_PICTURES"]
    shown = set()
    for page in (ROOT / "docs" / "guide").glob("*.md"):
        shown |= set(re.findall(r"\]\(\.\./screenshots/([^)]+\.png)\)", page.read_text("utf-8")))
    assert set(pictures) == shown and len(shown) >= 10  # not the 120 of every screen size
