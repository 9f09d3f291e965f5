import { allCommands, loadCommand } from './commands';
import { type CliIo, UsageError, userMessage } from './command';

async function help(): Promise<string> {
  const COMMANDS = await allCommands();
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Assay: report authoring with live figures.',
    '',
    'Usage: assay <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `assay <command> --help` for a command’s options.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await help());
    return name ? 0 : 2;
  }
  const cmd = await loadCommand(name);
  if (!cmd) {
    io.err(`assay: unknown command "${name}".\n\n${await help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${cmd.usage}\n\n${cmd.summary}`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`assay ${cmd.name}: ${e.message}\nUsage: ${cmd.usage}`);
      return 2;
    }
    io.err(`assay ${cmd.name}: ${userMessage(e)}`);
    if (process.env.ASSAY_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  }
}
