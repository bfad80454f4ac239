import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import type { RegisterCommand } from './index.js';

/** Command path ("ctr run") -> its subcommands and options, read from the live command tree so it never drifts. */
export function commandTable(program: Command): Map<string, { subs: string[]; opts: string[] }> {
  const table = new Map<string, { subs: string[]; opts: string[] }>();
  const walk = (c: Command, prefix: string): void => {
    const opts = c.options.flatMap((o) => [o.short, o.long].filter((x): x is string => Boolean(x)));
    table.set(prefix, { subs: c.commands.map((s) => s.name()), opts: [...opts, '--help'] });
    for (const s of c.commands) walk(s, prefix ? `${prefix} ${s.name()}` : s.name());
  };
  walk(program, '');
  return table;
}

function bashScript(program: Command): string {
  const cases = [...commandTable(program)].map(([path, e]) => `    "${path}") words="${[...e.subs, ...e.opts].join(' ')}" ;;`);
  return `# bash completion for bench (isobench): source <(bench completion bash)
_bench_complete() {
  local cur path w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case "$path" in
${[...commandTable(program)].map(([p, e]) => `      "${p}") [[ " ${e.subs.join(' ')} " == *" $w "* ]] && path="\${path:+$path }$w" ;;`).join('\n')}
    esac
  done
  local words=""
  case "$path" in
${cases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  [[ \${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
  return 0
}
complete -F _bench_complete bench
`;
}

function zshScript(program: Command): string {
  return `#compdef bench
# zsh completion for bench (isobench): source <(bench completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript(program)}`;
}

export const register: RegisterCommand = (program) => {
  program.command('completion').description('print a shell completion script: source <(bench completion bash)').argument('<shell>', 'bash or zsh')
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh') throw new ConfigError('COMPLETION_SHELL', `completion: unknown shell "${shell}"`, { hint: 'bash or zsh' });
      process.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
    });
};
