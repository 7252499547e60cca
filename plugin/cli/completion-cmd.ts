// `completion bash|zsh|fish`: a script that completes `kubectl-driftguard …` (and, for bash and
// zsh, `kubectl driftguard …` is completed by kubectl itself through `kubectl_complete-driftguard`,
// which ships in the krew archive next to the plugin). Every script asks the plugin's own hidden
// `__complete` command, cobra's protocol: candidates one per line, then `:<directive>`.
import type { Command } from 'commander';
import { CliError, EXIT_OK } from '../errors.ts';
import { out, type Io } from './io.ts';

const BASH = `# bash completion for kubectl-driftguard: source <(kubectl driftguard completion bash)
_kubectl_driftguard() {
  local cur=\${COMP_WORDS[COMP_CWORD]} IFS=$'\\n' line cands=()
  while IFS= read -r line; do
    case $line in :*) ;; *) cands+=("\${line%%$'\\t'*}") ;; esac
  done < <(kubectl-driftguard __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=($(compgen -W "\${cands[*]}" -- "$cur"))
}
complete -o default -F _kubectl_driftguard kubectl-driftguard
`;

const ZSH = `#compdef kubectl-driftguard
# zsh completion for kubectl-driftguard: source <(kubectl driftguard completion zsh)
_kubectl_driftguard() {
  local -a cands
  local line
  for line in "\${(@f)$(kubectl-driftguard __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}"; do
    [[ $line == :* ]] && continue
    cands+=("\${line%%$'\\t'*}")
  done
  compadd -a cands
}
compdef _kubectl_driftguard kubectl-driftguard
`;

const FISH = `# fish completion for kubectl-driftguard: kubectl driftguard completion fish | source
function __kubectl_driftguard_complete
  set -l words (commandline -opc) (commandline -ct)
  kubectl-driftguard __complete $words[2..-1] 2>/dev/null | string match -v -r '^:'
end
complete -c kubectl-driftguard -f -a '(__kubectl_driftguard_complete)'
`;

export const COMPLETION_SCRIPTS: Record<string, string> = { bash: BASH, zsh: ZSH, fish: FISH };

const HELP = `
Prints a completion script for the kubectl-driftguard command. For \`kubectl driftguard <TAB>\`,
kubectl (1.26+) runs the executable kubectl_complete-driftguard from PATH; the krew archive ships it
next to the plugin, and krew links only the plugin itself, so link it once:
  ln -s "\${KREW_ROOT:-$HOME/.krew}"/store/driftguard/*/kubectl_complete-driftguard "\${KREW_ROOT:-$HOME/.krew}/bin/"
(with npm link or bin/ on PATH it is already there).`;

export function registerCompletion(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .description('print a shell completion script (bash, zsh, fish)')
    .addHelpText('after', HELP)
    .action((shell: string) => {
      const script = COMPLETION_SCRIPTS[shell];
      if (!script) throw new CliError(`completion ${shell}: expected bash, zsh or fish`);
      out(io, script);
      setExit(EXIT_OK);
    });
}
