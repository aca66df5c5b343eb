/**
 * Installs Chromium for the storefront's browser tests: Debian's `chromium` package, driven by
 * playwright-core through `executablePath` (`playwright install` would download a browser, which
 * only package registries allow here). Does nothing when it is there already.
 *
 * Usage: npm run browser:install   (CHROMIUM_PATH points elsewhere than /usr/bin/chromium)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

function run(command: string, args: string[]): boolean {
  process.stdout.write(`browser: ${command} ${args.join(' ')}\n`);
  return (
    spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
      .status === 0
  );
}

function install(): boolean {
  if (process.getuid?.() === 0)
    return (
      run('apt-get', ['update', '-q']) &&
      run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'])
    );
  if (spawnSync('sudo', ['-n', 'true']).status === 0)
    return (
      run('sudo', ['-n', 'apt-get', 'update', '-q']) &&
      run('sudo', ['-n', 'apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium'])
    );
  process.stderr.write('browser: installing Chromium needs root or sudo: apt-get install chromium\n');
  return false;
}

if (existsSync(chromiumPath)) {
  process.stdout.write(
    `browser: ${spawnSync(chromiumPath, ['--version'], { encoding: 'utf8' }).stdout.trim() || chromiumPath}\n`,
  );
} else {
  process.stdout.write(
    "browser: Chromium is missing; installing Debian's package (a few minutes on first use)\n",
  );
  if (!install() || !existsSync(chromiumPath)) {
    process.stderr.write(`browser: no Chromium at ${chromiumPath}\n`);
    process.exit(1);
  }
}
