// The table of commands and the command line around it: find the command's name, parse its flags and
// the global ones wherever they stand, then complete, validate and run it.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cmd_get.hpp"
#include "cmd_history.hpp"
#include "cmd_rollout.hpp"
#include "cmd_set.hpp"
#include "cmd_undo.hpp"
#include "cmd_verify.hpp"
#include "command.hpp"
#include "complete.hpp"
#include "report.hpp"
#include "targets.hpp"
#include "version.hpp"

namespace shift::cli {

namespace {

std::unique_ptr<Command> makeSet() { return std::make_unique<SetCommand>(); }
std::unique_ptr<Command> makeGet() { return std::make_unique<GetCommand>(); }
std::unique_ptr<Command> makeRollout() { return std::make_unique<RolloutCommand>(); }
std::unique_ptr<Command> makeHistory() { return std::make_unique<HistoryCommand>(); }
std::unique_ptr<Command> makeUndo() { return std::make_unique<UndoCommand>(); }
std::unique_ptr<Command> makeVerify() { return std::make_unique<VerifyCommand>(); }

constexpr const char* kAbout =
    "shift: move live traffic between versions of a service in an Istio mesh.\n"
    "Reads a VirtualService (from the cluster, or files with -f), computes the new split, shows the change, "
    "applies it.\n\n"
    "  kubectl shift -n istio-demo reviews v1=50 v3=50\n"
    "  kubectl shift reviews v3=100 --dry-run --exit-code\n"
    "  kubectl shift -f reviews.yaml --in-place reviews v1=90 v3=10\n";

// The commands, one line each.
const std::vector<CommandInfo> kCommands = {
    {"set", "NAME KEY=WEIGHT...", "Shift a VirtualService's traffic (the default: `kubectl shift NAME ...`)",
     makeSet},
    {"get", "[NAME]", "Show the traffic split of one VirtualService, or of all", makeGet},
    {"rollout", "NAME --to KEY", "Move traffic to KEY step by step, checking health between steps",
     makeRollout},
    {"history", "NAME", "Show the revisions shift recorded on a VirtualService", makeHistory},
    {"undo", "NAME [--to-revision N]", "Return a VirtualService to an earlier revision's split", makeUndo},
    {"verify", "NAME", "Compare the intended split with the traffic Prometheus observes", makeVerify},
    {"completion", "bash|zsh|fish", "Print the shell completion script", nullptr, printCompletionScript},
    {"__complete", "WORDS... CURRENT", "Answer the completion scripts", nullptr, complete, true},
};

std::string commandList() {
    std::string out = "Commands:\n";
    for (const auto& c : kCommands) {
        if (!c.hidden) out += fmt::format("  {:<11} {:<23} {}\n", c.name, c.usage, c.summary);
    }
    return out;
}

}  // namespace

const std::vector<CommandInfo>& commands() { return kCommands; }

// A flag with an optional value (--dry-run, a counting -v) takes one only after `=`.
bool takesValue(const CLI::Option* o) {
    return o != nullptr && o->get_type_size_min() > 0 && o->get_expected_min() > 0;
}

const CommandInfo* findCommand(std::string_view name) {
    for (const auto& c : kCommands) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

std::unique_ptr<CLI::App> parserFor(const CommandInfo& info, Globals& globals, Command& command) {
    (void)info;  // one usage text for now: every command with flags is `set`
    auto app = std::make_unique<CLI::App>(kAbout, "shift");
    app->formatter(helpFormatter());
    app->set_version_flag("--version", fmt::format("shift {} ({})", SHIFT_VERSION, SHIFT_GIT_COMMIT));
    app->footer(commandList() +
                "\nExit codes: 0 done or no change, 1 changed (--exit-code), 2 bad input, 3 API error,\n"
                "4 conflict, 5 check failed, 6 interrupted, 7 changed by someone else, 8 --expect not met,\n"
                "9 held by another rollout. See man shift.");
    command.declare(*app);
    declareGlobals(*app, globals);
    // A single-valued flag given twice takes the last value, as kubectl's do (`--to v3 --to v1` is v1);
    // CLI11 would refuse it. Repeatable and counted flags keep every value.
    for (auto* o : app->get_options())
        if (o->get_items_expected_min() == 1 && o->get_items_expected_max() == 1)
            o->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    return app;
}

// Flags are looked up in the default command's parser, which declares the global ones too: what
// matters is which take a value, so that `-n set` is not taken for the command `set`.
std::size_t commandWord(const std::vector<std::string>& words) {
    Globals globals;
    SetCommand scan;
    auto app = parserFor(kCommands.front(), globals, scan);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        if (w == "--") break;
        if (w.size() < 2 || w[0] != '-') return findCommand(w) ? i : words.size();
        bool isLong = w[1] == '-';
        if ((isLong && w.find('=') != std::string::npos) || (!isLong && w.size() > 2)) continue;
        const CLI::Option* o = nullptr;
        for (const auto* opt : app->get_options()) {
            if (opt->nonpositional() && opt->check_name(w)) o = opt;
        }
        if (takesValue(o)) ++i;
    }
    return words.size();
}

int main(const std::vector<std::string>& args) {
    auto at = commandWord(args);
    const CommandInfo& info = at < args.size() ? *findCommand(args[at]) : kCommands.front();
    std::vector<std::string> rest = args;
    if (at < args.size()) rest.erase(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    if (info.raw) return info.raw(rest);
    if (at < args.size())
        rest.insert(rest.begin(), args.begin(), args.begin() + static_cast<std::ptrdiff_t>(at));
    if (auto st = checkWords(rest); !st) return report(st.error());
    Globals globals;
    auto command = info.make();
    auto app = parserFor(info, globals, *command);
    try {
        std::reverse(rest.begin(), rest.end());  // CLI11 takes the words last first
        app->parse(rest);
    } catch (const CLI::CallForHelp& e) {
        return app->exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app->exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "error: {}\n",
                   parseErrorText(e, at < args.size() ? info.name : std::string_view()));
        return kExitInput;
    }
    if (auto st = completeGlobals(globals); !st) return report(st.error());
    if (auto st = checkContexts(info.name, globals); !st) return report(st.error());
    if (auto st = command->complete(globals); !st) return report(st.error());
    if (auto st = command->validate(); !st) return report(st.error());
    return command->run(globals);
}

}  // namespace shift::cli
