/**
 * The `ogi` command line. Each stage registers its own commands.
 */
import { Command } from 'commander';
import { registerExtractCommand } from './extract/command.ts';
import { registerCrawlCommands } from './crawl/command.ts';
import { registerExportCommand } from './export/command.ts';
import { registerLoadCommand } from './ingest/command.ts';
import { registerNightlyCommands } from './nightly/command.ts';
import { registerQueryCommand, registerSearchCommand } from './query/command.ts';

const program = new Command();
program
  .name('ogi')
  .description('Open Government Information reports: crawl, extract, load, export and query China\'s 政府信息公开工作年度报告')
  .version('0.1.0')
  .showHelpAfterError();

registerCrawlCommands(program);
registerExtractCommand(program);
registerLoadCommand(program);
registerExportCommand(program);
registerQueryCommand(program);
registerSearchCommand(program);
registerNightlyCommands(program);

await program.parseAsync(process.argv);
