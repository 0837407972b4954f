; HTX Desktop — Windows installer (Inno Setup 6).
;   iscc /DAppVersion=0.1.0 build\windows\htx-desktop.iss
; Input: the one-folder bundle from build/build-bundle.sh (build\out\dist\htx-desktop).
; Output: build\out\installer\HTX-Desktop-Setup-<version>.exe
;
; - Per user, no administrator rights: installs into %LOCALAPPDATA%\Programs\HTX Desktop.
; - The officer's data lives elsewhere (%LOCALAPPDATA%\HTX Desktop, htx_desktop/store/paths.py),
;   so an upgrade replaces the program and never touches it; uninstall asks before removing it.
; - Fixed AppId: a newer installer upgrades the installed copy in place.
; Saved as UTF-8 with a byte-order mark, like Vietnamese-htx.isl: Inno reads non-ASCII text
; correctly only then.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\out\dist\htx-desktop"
#endif
#define AppName "HTX Desktop"
#define AppExe "htx-desktop.exe"
; %LOCALAPPDATA%\HTX Desktop: platformdirs.user_data_dir("HTX Desktop", appauthor=False).
#define DataFolder "{localappdata}\HTX Desktop"

[Setup]
; Never change AppId: it is how an upgrade finds the installed copy.
AppId={{5D01D25E-1E36-4E6F-91E9-09261FE2D23A}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Hội Liên hiệp Phụ nữ Việt Nam
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=auto
DisableProgramGroupPage=yes
DefaultGroupName={#AppName}
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\icons\htx-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running copy (Restart Manager) before replacing its files.
CloseApplications=yes
RestartApplications=no
OutputDir=..\out\installer
OutputBaseFilename=HTX-Desktop-Setup-{#AppVersion}
ShowLanguageDialog=no

[Languages]
; Default.isl for anything this installer never shows; our own Vietnamese for the rest.
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese-htx.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle: libraries an older version had must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[CustomMessages]
vi.RemoveDataQuestion=Có xóa luôn dữ liệu đã nhập không?%n%nThư mục dữ liệu:%n%1%n%n(cơ sở dữ liệu, các bản sao lưu và nhật ký)%n%nChọn „Có“ chỉ khi bạn chắc chắn không cần dữ liệu này nữa, hoặc đã sao chép nó sang nơi khác. Chọn „Không“ để giữ dữ liệu: cài lại chương trình sẽ dùng tiếp.
vi.RemoveDataFailed=Không xóa hết được thư mục dữ liệu:%n%1%n%nBạn có thể tự xóa thư mục này.

[Code]
{ Uninstall keeps the officer's data unless she says otherwise. The question defaults to No;
  a silent uninstall (/SILENT, /VERYSILENT, e.g. by an upgrade script) never removes data.
  Only the default data folder is handled: one chosen with --data-dir or HTX_DATA_DIR is hers. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{#DataFolder}');
  if UninstallSilent or not DirExists(DataDir) then
    Exit;
  if MsgBox(FmtMessage(CustomMessage('RemoveDataQuestion'), [DataDir]), mbConfirmation,
            MB_YESNO or MB_DEFBUTTON2) = IDYES then
  begin
    if not DelTree(DataDir, True, True, True) then
      MsgBox(FmtMessage(CustomMessage('RemoveDataFailed'), [DataDir]), mbError, MB_OK);
  end;
end;
