# bash completion for shift (https://github.com/shift/shift)           -*- shell-script -*-
# Installed as share/bash-completion/completions/shift; `shift completion bash` prints this file.
# Or: source <(kubectl-shift completion bash)   (in bash, `shift` alone is the builtin).
#
# The candidates come from the binary: `shift __complete WORDS... CURRENT` prints one per line
# (CANDIDATE<TAB>DESCRIPTION for flags) and a last line ":N", Cobra's directive: 2 no space after
# the candidate, 4 no file names.

# The path of the shift binary for the command word: bash runs its builtin for a bare `shift`.
__shift_binary() {
    case $1 in
        */*) [ -x "$1" ] && printf '%s\n' "$1" ;;
        *) type -P "$1" || type -P kubectl-shift ;;
    esac
}

_shift_complete() {
    local bin
    bin=$(__shift_binary "${COMP_WORDS[0]}") || return 0
    # Readline splits words at COMP_WORDBREAKS (= and :); take the words as the user typed them
    # from the line instead: "--color=al" is one word, "v3=" too.
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words=()
    read -r -a words <<<"$line"
    [[ $line == *[[:space:]] ]] && words+=("")
    local cur=${words[-1]-}
    local -a args=("${words[@]:1:${#words[@]}-2}")
    local out
    out=$("$bin" __complete "${args[@]}" "$cur" 2>/dev/null) || return 0
    local -a lines=()
    mapfile -t lines <<<"$out"
    local directive=0 last=${lines[-1]-}
    if [[ $last == :* ]]; then
        directive=${last#:}
        unset 'lines[-1]'
    fi
    # Readline replaces only the part of the word after its last = or :.
    local strip=""
    if [[ $cur == *[=:]* && $COMP_WORDBREAKS == *[=:]* ]]; then
        strip=${cur%"${cur##*[=:]}"}
    fi
    COMPREPLY=()
    local line
    for line in "${lines[@]}"; do
        [ -n "$line" ] || continue
        line=${line%%$'\t'*}
        COMPREPLY+=("${line#"$strip"}")
    done
    if (( directive & 2 )); then
        compopt -o nospace 2>/dev/null
    fi
    if (( ${#COMPREPLY[@]} == 0 && !(directive & 4) )); then
        compopt -o default 2>/dev/null
    fi
    return 0
}

complete -F _shift_complete shift kubectl-shift
