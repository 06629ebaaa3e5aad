// electron-builder's afterPack hook (electron-builder.yml): flips Electron's fuses in the packed
// binary before it is signed, so the shipped app cannot be turned into a plain Node runtime
// (ELECTRON_RUN_AS_NODE), be fed code through NODE_OPTIONS or --inspect, or load app code from
// anywhere but its own asar (whose integrity Electron checks on macOS and Windows; Linux has no
// such check yet). @electron/fuses is a plain npm package with no install script: nothing is
// downloaded at install or pack time. test/unit/electron-hardening.test.ts runs this on a stand-in
// binary.
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads this hook as CommonJS */
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
};

/** The file that carries the fuse wire for each platform electron-builder packs. */
function electronBinary(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

async function afterPack(context) {
  await flipFuses(electronBinary(context), {
    ...FUSES,
    // Changing the binary breaks macOS's ad-hoc signature on arm64; re-sign it ad hoc (the real
    // signing comes after this hook).
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
  });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.electronBinary = electronBinary;
