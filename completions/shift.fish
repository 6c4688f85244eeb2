# fish completion for shift. Installed as share/fish/vendor_completions.d/shift.fish;
# `shift completion fish` prints this file (fish has no `shift` builtin: plain `shift` works).
#
# The candidates come from the binary: `shift __complete WORDS... CURRENT` prints one per line
# (CANDIDATE<TAB>DESCRIPTION for flags, which fish shows as is) and a last line ":N", Cobra's
# directive: 2 no space after the candidate, 4 no file names.

function __shift_complete_prepare --description 'Ask shift for the candidates of the current word'
    set -l tokens (commandline -opc)
    set -l bin $tokens[1]
    if not string match -q -- '*/*' $bin
        set bin (command -s $bin; or command -s kubectl-shift)[1]
    end
    set -g __shift_complete_results
    set -g __shift_complete_directive 0
    test -n "$bin"; or return 1
    set -l out ($bin __complete $tokens[2..-1] (commandline -ct) 2>/dev/null)
    if string match -qr '^:[0-9]+$' -- $out[-1]
        set -g __shift_complete_directive (string sub -s 2 -- $out[-1])
        set -e out[-1]
    end
    set -g __shift_complete_results (string match -v -- '' $out)
    return 0
end

function __shift_complete_candidates
    __shift_complete_prepare
    printf '%s\n' $__shift_complete_results
end

# File names only when shift offers nothing and allows them (the value of -f or --kubeconfig).
function __shift_complete_no_files
    __shift_complete_prepare
    test (count $__shift_complete_results) -gt 0; or test (math "floor($__shift_complete_directive / 4) % 2") -eq 1
end

for cmd in shift kubectl-shift
    complete -c $cmd -e
    complete -c $cmd -n __shift_complete_no_files -f
    complete -c $cmd -a '(__shift_complete_candidates)'
end
