/**
 * Compiles one Nx project's `src` with swc into `dist/<projectRoot>/src`, rewriting the
 * `@platform/*` path aliases of tsconfig.base.json into relative requires. Projects compiled this
 * way keep the repository's layout under `dist/`, so an app finds its libraries with plain Node
 * resolution and no runtime hook. swc (not tsc) because Nest needs decorator metadata and tsc is
 * too slow on two cores; type checking is the separate `typecheck` target.
 *
 * A web project (one with `src/index.html`, e.g. apps/storefront) is compiled to ES modules for the
 * browser instead, and its static files (.html, .css, .svg) are copied beside the scripts.
 *
 * Usage: node tools/build/compile.ts <projectRoot>
 */
import { transformFile, type Options } from '@swc/core';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const workspaceRoot = resolve(import.meta.dirname, '../..');
const testFile = /(\.spec\.ts|\.test\.ts)$|__fixtures__/;
const staticFile = /\.(html|css|svg)$/;

async function swcOptions(web: boolean): Promise<Options> {
  const rc = JSON.parse(await readFile(join(workspaceRoot, '.swcrc'), 'utf8')) as Options;
  const tsconfig = JSON.parse(await readFile(join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));
  if (web) return { ...rc, swcrc: false, module: { type: 'es6' } };
  return {
    ...rc,
    swcrc: false,
    jsc: { ...rc.jsc, baseUrl: workspaceRoot, paths: tsconfig.compilerOptions.paths },
  };
}

async function* sourceFiles(dir: string, wanted: (name: string) => boolean): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path, wanted);
    else if (wanted(entry.name) && !testFile.test(path)) yield path;
  }
}

const isTypeScript = (name: string) => name.endsWith('.ts') && !name.endsWith('.d.ts');

async function compileProject(projectRoot: string): Promise<number> {
  const srcDir = join(workspaceRoot, projectRoot, 'src');
  const outDir = join(workspaceRoot, 'dist', projectRoot, 'src');
  const web = await stat(join(srcDir, 'index.html')).then(
    () => true,
    () => false,
  );
  const options = await swcOptions(web);
  await rm(outDir, { recursive: true, force: true });
  let count = 0;
  if (web)
    for await (const file of sourceFiles(srcDir, (name) => staticFile.test(name))) {
      const target = join(outDir, relative(srcDir, file));
      await mkdir(dirname(target), { recursive: true });
      await copyFile(file, target);
    }
  for await (const file of sourceFiles(srcDir, isTypeScript)) {
    const target = join(outDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
    const output = await transformFile(file, { ...options, filename: file, outputPath: target });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${output.code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (output.map) await writeFile(`${target}.map`, output.map);
    count += 1;
  }
  return count;
}

const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: node tools/build/compile.ts <projectRoot>');
  process.exit(2);
}
const started = performance.now();
const count = await compileProject(projectRoot);
console.log(`compiled ${count} files of ${projectRoot} in ${Math.round(performance.now() - started)} ms`);
