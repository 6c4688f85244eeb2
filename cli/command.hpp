#pragma once
// A command, in the manner of kubectl's: its options struct declares its flags (declare), fills what
// they imply (complete), rejects bad input before any request (validate), and does it (run). The
// table of commands is in commands.cpp: a new command is one line there and one file.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/store.hpp"
#include "base/result.hpp"
#include "cli11_fwd.hpp"
#include "complete_names.hpp"
#include "kube/cluster.hpp"
#include "term/color.hpp"

namespace shift::cli {

// The flags every command takes, before or after its name (flags.cpp declares them once).
struct Globals {
    kube::ConfigFlags cluster;          // -n, --context, --kubeconfig, --request-timeout, --as...
    std::vector<std::string> contexts;  // --context repeated and --contexts a,b: several clusters
    std::string requestTimeoutText;     // --request-timeout as given; completeGlobals parses it
    std::string outputText;             // -o as given; completeGlobals parses it into output
    app::Output output = app::Output::None;
    std::string colorText = "auto";  // --color as given; complete() parses it into color
    term::ColorMode color = term::ColorMode::Auto;
    int verbosity = 0;
};

// What a TAB offers for the words after the command's flags.
struct Candidates {
    std::vector<std::string> words;
    bool noSpace = false;  // the candidate continues (`v1=`): no space after it
};

class Command {
   public:
    virtual ~Command() = default;
    virtual void declare(CLI::App& app) = 0;
    virtual Status complete(const Globals& globals) = 0;
    virtual Status validate() const = 0;
    virtual int run(const Globals& globals) = 0;
    // Candidates for the positional argument `current` (unfiltered); `args` are those before it.
    virtual Candidates completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                                    const std::string& current) const = 0;
};

// A flag given once per value (--route a --route b): every occurrence is kept, and no second word is
// taken as a value (`--route main v3=100` leaves v3=100 to the split).
CLI::Option* repeatable(CLI::Option* option, const std::string& valueName);

struct CommandInfo {
    std::string_view name;
    std::string_view usage;    // what follows `shift NAME` in the synopsis
    std::string_view summary;  // one line for --help and the man page
    std::unique_ptr<Command> (*make)();
    // A command that reads its words itself (`completion bash`), without the global flags.
    int (*raw)(const std::vector<std::string>& args) = nullptr;
    bool hidden = false;  // `__complete`: for the completion scripts, not for users
};

// Every command, in the order --help lists them; the first is the default (the bare form).
const std::vector<CommandInfo>& commands();
const CommandInfo* findCommand(std::string_view name);

// Declares the global flags on a command's parser; completeGlobals checks and converts them.
void declareGlobals(CLI::App& app, Globals& globals);
Status completeGlobals(Globals& globals);
// Mistakes CLI11 would parse into something else (`--dry-run server`), found in the words themselves.
Status checkWords(const std::vector<std::string>& words);
// --help's layout: CLI11's, with `--dry-run[=client|server|none]` written without a space.
std::shared_ptr<CLI::FormatterBase> helpFormatter();
// A parse error in shift's words: `unknown flag --foo`, `--namespace needs a value`.
// `command`: the command word given ("rollout"), or empty for the bare form.
std::string parseErrorText(const CLI::ParseError& error, std::string_view command = {});

// A parser for `info`: the global flags and the command's own, bound to `globals` and `command`.
std::unique_ptr<CLI::App> parserFor(const CommandInfo& info, Globals& globals, Command& command);

// Whether the flag takes the next word as its value (`-n prod`; not `-v`, not `--dry-run`).
bool takesValue(const CLI::Option* option);

// Where the command's name is among the words after `shift`: the first word that is neither a flag
// nor a flag's value, before any `--`, when it names a command; words.size() when none does (the
// bare form: `shift reviews v1=100` is `shift set reviews v1=100`).
std::size_t commandWord(const std::vector<std::string>& words);

// The whole command line: finds the command, parses, completes, validates and runs it.
int main(const std::vector<std::string>& args);

}  // namespace shift::cli
