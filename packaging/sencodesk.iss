; SENCO Desk installer for Windows (Inno Setup 6).
;
; Build the bundle first (pyinstaller pyinstaller.spec), then, from the repository's folder:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DMyAppVersion=0.1.0 packaging\sencodesk.iss
; (/DBundleDir=PATH if the bundle is not dist\SENCO Desk). The GitHub Actions workflow
; .github/workflows/windows.yml does exactly this, and installs, smoke-tests and uninstalls
; the result.
;
; - Per user, no admin rights: PrivilegesRequired=lowest, installed in
;   %LOCALAPPDATA%\Programs\SENCO Desk ({userpf}), a Start-menu shortcut for this user only.
; - The data (%LOCALAPPDATA%\SENCO Desk: the database, its backups) and the settings
;   (%APPDATA%\SENCO Desk) are separate folders the installer never writes and the
;   uninstaller never deletes: it removes only the files it installed.
; - Upgrade in place: the AppId below is fixed for ever, so a newer installer replaces the
;   program in the same folder and the data is untouched. The app upgrades the database itself
;   on its next start, after a backup.

#ifndef MyAppVersion
  #define MyAppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\SENCO Desk"
#endif
#define MyAppName "SENCO Desk"
#define MyAppExe "SENCO Desk.exe"
#define MyCliExe "sencodesk.exe"

[Setup]
; Never change the AppId: it is how an upgrade finds the installed copy.
AppId={{0D451FD4-2979-43C1-B570-6B430EFE4F0E}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher=The SENCO Desk contributors
VersionInfoVersion={#MyAppVersion}
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#MyAppName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#MyAppExe}
UninstallDisplayName={#MyAppName}
LicenseFile=..\LICENSE
OutputDir=..\dist
OutputBaseFilename=SENCO-Desk-{#MyAppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; An open copy of the app is closed (it backs up as it closes) before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "Put a shortcut on the desktop"; Flags: unchecked

[InstallDelete]
; An upgrade first removes the previous version's runtime, so no old library lingers beside
; the new ones. Only inside the program's folder: never the data folder.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"; WorkingDir: "{app}"; Comment: "SEN support, LSA contracts, funding and EHCP reviews"
Name: "{userprograms}\{#MyAppName} quick start (print me)"; Filename: "{app}\_internal\docs\guide\quick-start.pdf"
Name: "{userdesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExe}"; Description: "Start SENCO Desk now"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section, on purpose: the uninstaller removes what [Files] installed and
; nothing else. %LOCALAPPDATA%\SENCO Desk (the database and its backups) stays, so
; reinstalling finds the school's data where it was. To remove the data too, delete that
; folder by hand after copying a backup somewhere safe.
