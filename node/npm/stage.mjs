// `make dist`: writes the packages npm publishes into a staging directory, napi-rs's layout:
//   <stage>/libivs/               the JS package (no binary), with optionalDependencies on the
//                                 platform packages at its own version;
//   <stage>/linux-x64-gnu/        @libivs/linux-x64-gnu with the prebuilt addon.
// Usage: node node/npm/stage.mjs <stage dir> <addon .so>
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [stage, addon] = process.argv.slice(2);
if (!stage || !addon) throw new Error('usage: node stage.mjs <stage dir> <addon .so>');
const nodeDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const writeJson = (path, value) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

const main = readJson(join(nodeDir, 'package.json'));
const platforms = { 'linux-x64-gnu': `libivs.linux-x64-gnu.node` };
rmSync(stage, { recursive: true, force: true });

const optionalDependencies = {};
for (const [platform, binary] of Object.entries(platforms)) {
  const source = join(nodeDir, 'npm', platform);
  const target = join(stage, platform);
  const manifest = readJson(join(source, 'package.json'));
  if (manifest.version !== main.version) {
    throw new Error(`${manifest.name} is ${manifest.version} but libivs is ${main.version}: run make codegen`);
  }
  mkdirSync(target, { recursive: true });
  writeJson(join(target, 'package.json'), manifest);
  copyFileSync(join(source, 'README.md'), join(target, 'README.md'));
  copyFileSync(addon, join(target, binary));
  optionalDependencies[manifest.name] = manifest.version;
}

// The published manifest: what users install needs neither the dev tools nor the build scripts.
const published = { ...main, optionalDependencies };
delete published.devDependencies;
published.scripts = { prepack: main.scripts.prepack };
const target = join(stage, 'libivs');
mkdirSync(target, { recursive: true });
writeJson(join(target, 'package.json'), published);
for (const file of main.files) copyFileSync(join(nodeDir, file), join(target, file));
console.log(`staged libivs ${main.version} and ${Object.keys(optionalDependencies).join(', ')} in ${stage}`);
