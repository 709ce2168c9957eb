// `kfit ui`: a local web UI to explore and edit a kernel config with kfit's engine (menu tree, search, help and
// why, the diff against the start, .config and Nix exports, and nixpkgs' pipeline check with --kernel-config).
import type { Command } from 'commander';
import { InputError } from '../../core/diag/errors.ts';
import type { GenerateConfigOptions } from '../../core/nixos/index.ts';
import { readConfigText } from '../../host/config-file.ts';
import { loadKernelTree, makeBaseConfig } from '../../host/nixos-system.ts';
import { openInBrowser, startUiServer, type UiServer } from '../../host/ui-server.ts';
import { pipelineConfig, type PipelineInput } from '../../ui/pipeline-check.ts';
import { UiSession } from '../../ui/ui-session.ts';
import { configPath } from './config-input.ts';

/** The flags of `kfit ui`. */
export interface UiFlags {
  src?: string;
  arch: string;
  config?: string;
  kernelConfig?: string;
  base?: string;
  port?: string;
  open?: boolean;
  json?: boolean;
  autoModules?: boolean;
  preferBuiltin?: boolean;
}

/** Registers `kfit ui`. */
export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('a local web UI (127.0.0.1) to explore and edit a kernel config: menu tree, search, help and why, changes with undo, .config and Nix export')
    .option('--src <dir>', 'the kernel tree (required)')
    .option('--arch <arch>', 'architecture (make ARCH)', 'x86_64')
    .option('--config <file>', 'the .config to start from (plain, .gz/.xz, or `running`; default: the tree\'s defconfig)')
    .option('--kernel-config <file>', 'start from what nixpkgs\' pipeline makes of this intermediate text (the configfile\'s kernel-config), and enable the pipeline check')
    .option('--base <target>', 'with --kernel-config: kernelBaseConfig (defconfig, tinyconfig, NAME_defconfig, …)', 'defconfig')
    .option('--no-auto-modules', 'with --kernel-config: autoModules = false')
    .option('--prefer-builtin', 'with --kernel-config: preferBuiltin = true')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)')
    .option('--open', 'open the page in the default browser (xdg-open)')
    .option('--json', 'print {"url": …} as one JSON line instead of the text banner')
    .action(async (flags: UiFlags) => {
      // progress only for a person watching: a script sees one line, the URL, or one error line
      const server = await startUi(flags, (line) => process.stderr.isTTY && process.stderr.write(`${line}\n`));
      process.stdout.write(flags.json ? `${JSON.stringify({ url: server.url })}\n` : `kfit ui: ${server.url}  (Ctrl-C stops it)\n`);
      if (flags.open) openInBrowser(server.url);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/** Loads the tree and the starting config, then starts the server (every input error before it listens). */
export async function startUi(flags: UiFlags, progress: (line: string) => void): Promise<UiServer> {
  if (flags.src === undefined) throw new InputError('cli/flag', 'kfit: ui needs --src DIR (the kernel tree)');
  if (flags.config !== undefined && flags.kernelConfig !== undefined) throw new InputError('cli/flag', 'kfit: give --config or --kernel-config, not both');
  let port: number | undefined;
  if (flags.port !== undefined) {
    if (!/^\d+$/.test(flags.port) || Number(flags.port) > 65535) throw new InputError('cli/flag', `kfit: --port must be a number 0..65535, not ${flags.port}`);
    port = Number(flags.port);
  }
  progress(`kfit: loading ${flags.src} (${flags.arch})…`);
  const tree = loadKernelTree(flags.src, flags.arch);
  let text: string;
  let start: string;
  let pipeline: PipelineInput | undefined;
  let pipelineLines: string[] | undefined;
  if (flags.kernelConfig !== undefined) {
    const kernelConfig = readText(flags.kernelConfig);
    const options: GenerateConfigOptions = { autoModules: flags.autoModules !== false, preferBuiltin: !!flags.preferBuiltin };
    pipeline = { kernelConfig, file: flags.kernelConfig, baseConfig: makeBaseConfig(tree, flags.base ?? 'defconfig'), options };
    progress(`kfit: running nixpkgs' pipeline (simulated) on ${flags.kernelConfig}…`);
    const { dotConfig, result, lines } = pipelineConfig(tree.model, pipeline);
    pipelineLines = lines;
    if (result.death) throw new InputError('ui/pipeline', `kfit: ${flags.kernelConfig}: generate-config.pl dies on it (${result.death.message}); fix it with kfit nixos check first`);
    text = dotConfig;
    start = `nixpkgs' pipeline on ${flags.kernelConfig} (base ${flags.base ?? 'defconfig'})`;
  } else if (flags.config !== undefined) {
    const path = configPath(flags.config);
    text = readConfigText(path);
    start = path;
  } else {
    text = makeBaseConfig(tree, 'defconfig');
    start = 'defconfig';
  }
  const session = UiSession.start(tree.model, text, { file: start });
  return startUiServer({
    session,
    info: { mainmenu: tree.model.mainmenu, srctree: tree.srctree, arch: flags.arch, flavor: tree.model.flavor, start },
    pipeline,
    pipelineLines,
    port,
  });
}

function readText(path: string): string {
  try {
    return readConfigText(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('ui/read', `kfit: cannot read ${path}`);
  }
}
