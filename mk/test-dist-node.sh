#!/usr/bin/env bash
# `make test-dist-node`: installs dist/'s two npm tarballs into an empty project outside the tree
# (`npm install --offline`: no registry, no Rust), runs node/test against the installed package
# (imports of ../index.* become `libivs`), and type-checks one program with `tsc --strict` from a
# CommonJS, an ESM (`nodenext`) and a `bundler` project, with no DOM lib and no @types/node.
# Usage: mk/test-dist-node.sh <scratch dir> <version>
set -euo pipefail
scratch=$1 version=$2
tree=$(cd "$(dirname "$0")/.." && pwd)
dist=$tree/dist
rm -rf "$scratch" && mkdir -p "$scratch/app"
cd "$scratch/app"
printf '{ "name": "libivs-installed-test", "private": true }\n' > package.json
npm install --offline --no-audit --no-fund --loglevel=error \
  "$dist/libivs-linux-x64-gnu-$version.tgz" "$dist/libivs-$version.tgz"
test -f node_modules/@libivs/linux-x64-gnu/libivs.linux-x64-gnu.node
test ! -e node_modules/libivs/libivs.node
reported=$(node -p "require('libivs/package.json').version + ' ' + require('@libivs/linux-x64-gnu/package.json').version")
test "$reported" = "$version $version" || { echo "npm versions are $reported, Cargo.toml says $version" >&2; exit 1; }
echo "test-dist-node: installed size $(du -sk node_modules | cut -f1) kB in $(find node_modules -name package.json -not -path '*/node_modules/*/node_modules/*' | wc -l) packages"

# The face's tests, against the installed package. Their own dev tools (@aws-sdk/client-ivs for
# parity, jose for tokens, @opentelemetry for spans) are the tree's, linked in beside libivs.
cp -r "$tree/node/test" test
# readme.test.mjs runs the README's examples (../../README.md from test/) against the installed package.
cp "$tree/README.md" "$scratch/README.md"
# A path to the entry (a child process's require) becomes the installed package's CommonJS entry.
# Files read by path (index.d.ts for the reference docs) are the installed package's too.
sed -i -e "s#new URL('\.\./index\.\([a-z.]*\)', import\.meta\.url)#new URL('../node_modules/libivs/index.\1', import.meta.url)#g" \
  -e "s#'\.\./index\.mjs'#'libivs'#g" -e "s#'\.\./index\.js'#'libivs'#g" test/*.mjs
! grep -n "\.\./index" test/*.mjs
mkdir -p node_modules/@aws-sdk
ln -s "$tree/node/node_modules/@aws-sdk/client-ivs" node_modules/@aws-sdk/client-ivs
ln -s "$tree/node/node_modules/jose" node_modules/jose
ln -s "$tree/node/node_modules/@opentelemetry" node_modules/@opentelemetry
node --test --test-concurrency=1 test/

# Types, resolved through package.json "exports" as each kind of project does.
tsc=$tree/node/node_modules/typescript/bin/tsc
for kind in cjs esm bundler; do
  project=$scratch/types-$kind
  mkdir -p "$project" && ln -s "$scratch/app/node_modules" "$project/node_modules"
  case $kind in
    cjs) type=commonjs module=nodenext resolution=nodenext file=usage.cts ;;
    esm) type=module module=nodenext resolution=nodenext file=usage.mts ;;
    bundler) type=module module=esnext resolution=bundler file=usage.ts ;;
  esac
  printf '{ "name": "types-%s", "private": true, "type": "%s" }\n' "$kind" "$type" > "$project/package.json"
  sed -e "s#from '\.\./\.\./index\.js'#from 'libivs'#" "$tree/node/test/types/usage.ts" > "$project/$file"
  cat > "$project/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "target": "es2022", "lib": ["es2022"], "types": [],
    "module": "$module", "moduleResolution": "$resolution", "skipLibCheck": false
  },
  "files": ["$file"]
}
JSON
  (cd "$project" && node "$tsc" -p tsconfig.json)
  echo "test-dist-node: tsc --strict resolves libivs's types from a $kind project"
done
