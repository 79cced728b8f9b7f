/**
 * The `ogi` command line. Each stage registers its own commands; this file owns how any command
 * ends: an OgiError prints "code: sentence" (exit 1 unless the command chose another status), a
 * usage error (unknown option, missing argument) exits 2, and anything else is a bug — printed as
 * `internal-error: <message>` with a hint to report it, its stack only with OGI_DEBUG=1.
 */
import { Command, CommanderError } from 'commander';
import { OgiError } from './domain/errors.ts';
import { registerExtractCommand } from './extract/command.ts';
import { registerCrawlCommands } from './crawl/command.ts';
import { registerExportCommand } from './export/command.ts';
import { registerLoadCommand } from './ingest/command.ts';
import { registerNightlyCommands } from './nightly/command.ts';
import { registerQueryCommand, registerSearchCommand } from './query/command.ts';
import { registerSiteCommands } from './site/command.ts';

/** commander's own errors about how a command was called: exit status 2, as `could not run` */
const USAGE_ERRORS = new Set([
  'commander.unknownOption',
  'commander.unknownCommand',
  'commander.missingArgument',
  'commander.optionMissingArgument',
  'commander.missingMandatoryOptionValue',
  'commander.invalidArgument',
  'commander.excessArguments',
  'commander.conflictingOption',
]);

const program = new Command();
program
  .name('ogi')
  .description('Open Government Information reports: crawl, extract, load, export and query China\'s 政府信息公开工作年度报告')
  .version('0.1.0')
  .showHelpAfterError()
  // before the commands are registered, so every command inherits it: errors come back here
  .exitOverride();

registerCrawlCommands(program);
registerExtractCommand(program);
registerLoadCommand(program);
registerExportCommand(program);
registerQueryCommand(program);
registerSearchCommand(program);
registerNightlyCommands(program);
registerSiteCommands(program);

program.addHelpText(
  'after',
  `
Exit status: 0 when the command did all it was asked; 1 when something failed (details on
stderr as "code: sentence"); 2 when a command could not run at all (a bad option, a lock held,
a database that cannot be opened) — see each command's --help.
Set OGI_DEBUG=1 to see the stack of an internal error.`,
);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // commander has printed its message (or the help) already
    process.exitCode = USAGE_ERRORS.has(e.code) ? 2 : e.exitCode;
  } else if (e instanceof OgiError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`internal-error: ${message}\n`);
    process.stderr.write(
      process.env.OGI_DEBUG
        ? `${e instanceof Error ? e.stack : ''}\n`
        : 'This is a bug in ogi: please report it with the command you ran (run it again with OGI_DEBUG=1 to see the stack).\n',
    );
    process.exitCode = 1;
  }
}
