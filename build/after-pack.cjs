// electron-builder's afterPack hook: flips Electron's fuses on the packaged binary. It runs after
// electron-builder has written the ASAR integrity data (Info.plist on macOS, an executable
// resource on Windows) and before it signs the app, so the signature covers the flipped fuses.
// docs/security.md explains each fuse.
const path = require('node:path');
const { FuseV1Options, FuseVersion, flipFuses } = require('@electron/fuses');

/** The fuses for a platform (darwin, mas, win32, linux). */
function fuseConfig(platform) {
  const macOS = platform === 'darwin' || platform === 'mas';
  return {
    version: FuseVersion.V1,
    // Flipping a fuse invalidates the ad-hoc signature of arm64 binaries; signing follows anyway.
    resetAdHocDarwinSignature: macOS,
    // ELECTRON_RUN_AS_NODE would turn Sesame into a plain Node that runs any script.
    [FuseV1Options.RunAsNode]: false,
    // Chromium's cookie store encrypted with an OS-held key.
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS and --inspect would let anyone who can start Sesame inject code into it.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // Electron checks app.asar against the hash in the signed binary (macOS and Windows only).
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: macOS || platform === 'win32',
    // Only the (checked) app.asar is loaded, never a loose app folder placed beside it.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
  };
}

/** The path flipFuses takes: the .app bundle, the .exe, or the Linux executable. */
function fusedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    default:
      return path.join(appOutDir, packager.executableName);
  }
}

async function afterPack(context) {
  await flipFuses(fusedBinary(context), fuseConfig(context.electronPlatformName));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.fusedBinary = fusedBinary;
