// The flag groups every command shares, declared once (cluster, output, colour, verbosity), their values
// checked in shift's words, and the hints and help layout of the command line.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>

#include "command.hpp"
#include "core/duration.hpp"

namespace shift::cli {

CLI::Option* repeatable(CLI::Option* option, const std::string& valueName) {
    return option->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->option_text(valueName);
}

namespace {

void declareCluster(CLI::App& app, kube::ConfigFlags& c, std::vector<std::string>& contexts,
                    std::string& timeout) {
    auto* cluster = "Cluster";
    app.add_option("-n,--namespace", c.ns, "Namespace (default: the context's, else default)")
        ->group(cluster);
    repeatable(
        app.add_option("--context", contexts, "kubeconfig context to use; repeat it for several clusters")
            ->group(cluster),
        "CONTEXT");
    app.add_option("--contexts", contexts, "Several kubeconfig contexts at once: a,b,c")
        ->group(cluster)
        ->allow_extra_args(false)
        ->delimiter(',')
        ->option_text("A,B,...");
    app.add_option("--kubeconfig", c.kubeconfig, "Path to the kubeconfig file")->group(cluster);
    app.add_option("--request-timeout", timeout,
                   "How long to wait for each API request: 5s, 1m, 500ms, a number of seconds, or 0 for no "
                   "timeout (default 30s)")
        ->group(cluster)
        ->option_text("DURATION");
    app.add_option("--as", c.as, "User to impersonate (a user or system:serviceaccount:NS:NAME)")
        ->group(cluster)
        ->option_text("USER");
    repeatable(app.add_option("--as-group", c.asGroups, "Group to impersonate; repeatable")->group(cluster),
               "GROUP");
    app.add_option("--as-uid", c.asUid, "UID to impersonate")->group(cluster)->option_text("UID");
}

// Kubernetes names namespaces with DNS-1123 labels; a bad one would only come back as a 404 or 400.
Status checkNamespace(const std::string& ns) {
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    bool ok = !ns.empty() && ns.size() <= 63 && alnum(ns.front()) && alnum(ns.back()) &&
              std::all_of(ns.begin(), ns.end(), [&](char c) { return alnum(c) || c == '-'; });
    if (ok || ns.empty()) return okStatus();
    return fail(
        fmt::format("invalid namespace \"{}\": a namespace is a DNS-1123 label (lowercase letters, "
                    "digits and '-', starting and ending with a letter or digit, at most 63 "
                    "characters)",
                    ns));
}

}  // namespace

// `--dry-run server`: CLI11, like kubectl, takes an optional value only after `=`, so `server` would
// become NAME or a KEY=WEIGHT; say so instead of failing later on a VirtualService named "server".
Status checkWords(const std::vector<std::string>& words) {
    for (std::size_t i = 0; i + 1 < words.size() && words[i] != "--"; ++i) {
        const auto& next = words[i + 1];
        if (words[i] == "--dry-run" && (next == "client" || next == "server" || next == "none"))
            return fail(fmt::format(
                "--dry-run {0}: write --dry-run={0} (with =); a bare --dry-run means client", next));
    }
    return okStatus();
}

namespace {

// `--dry-run[=client|server|none]`: an optional value is written against its flag, as in kubectl's help.
class HelpFormatter : public CLI::Formatter {
   public:
    // CLI11 writes the flag's default value (`--dry-run{client}`); the option text says it.
    std::string make_option_name(const CLI::Option* opt, bool positional) const override {
        auto name = CLI::Formatter::make_option_name(opt, positional);
        if (auto open = name.find('{');
            open != std::string::npos && name.find('}', open) != std::string::npos)
            name.erase(open, name.find('}', open) - open + 1);
        return name;
    }
    std::string make_option_opts(const CLI::Option* opt) const override {
        const auto& text = opt->get_option_text();
        if (!text.empty() && text[0] == '[') return text;
        return CLI::Formatter::make_option_opts(opt);
    }
};

}  // namespace

std::shared_ptr<CLI::FormatterBase> helpFormatter() { return std::make_shared<HelpFormatter>(); }

// CLI11's own words (`--namespace: 1 required TEXT missing`) name its types, not the fix.
std::string parseErrorText(const CLI::ParseError& e, std::string_view command) {
    std::string what = e.what();
    constexpr std::string_view kHelp = "; see kubectl shift --help";
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        // CLI11 was given the words last first (commands.cpp), so it lists them that way.
        std::vector<std::string> words;
        for (std::size_t at = what.find(": ") + 2, end = 0; at < what.size(); at = end + 1) {
            end = std::min(what.find(' ', at), what.size());
            words.insert(words.begin(), what.substr(at, end - at));
        }
        auto flag = std::find_if(words.begin(), words.end(),
                                 [](const auto& w) { return w.size() > 1 && w[0] == '-'; });
        // A flag of another command (`rollout -f`) is the word to name, not the value after it.
        if (flag != words.end() && !command.empty())
            return fmt::format("unknown flag {} for {}; see kubectl shift {} --help", *flag, command,
                               command);
        if (flag != words.end()) return fmt::format("unknown flag {}{}", *flag, kHelp);
        return fmt::format("unexpected argument {}{}", fmt::join(words, " "), kHelp);
    }
    if (auto at = what.find(": "); dynamic_cast<const CLI::ArgumentMismatch*>(&e) &&
                                   at != std::string::npos && what.find(" required ") != std::string::npos)
        return fmt::format("{} needs a value{}", what.substr(0, at), kHelp);
    constexpr std::string_view kConvert = "Could not convert: ";
    if (auto eq = what.find(" = "); what.rfind(kConvert, 0) == 0 && eq != std::string::npos) {
        auto name = what.substr(kConvert.size(), eq - kConvert.size());
        return fmt::format("invalid {} value \"{}\"{}", name, what.substr(eq + 3), kHelp);
    }
    return fmt::format("{}{}", what, kHelp);
}

void declareGlobals(CLI::App& app, Globals& g) {
    // Values are checked by completeGlobals, in shift's words rather than CLI11's.
    app.add_option("-o,--output", g.outputText, "Print the resulting object as yaml or json")
        ->option_text("yaml|json");
    app.add_option("--color", g.colorText, "Colour output: auto, always or never (NO_COLOR is honoured)")
        ->option_text("auto|always|never");
    app.add_flag("-v,--verbose", g.verbosity,
                 "Print each API request (method, URL, status, time); -vv also headers, -vvv bodies "
                 "(secrets masked)");
    declareCluster(app, g.cluster, g.contexts, g.requestTimeoutText);
}

Status completeGlobals(Globals& g) {
    if (!g.contexts.empty()) g.cluster.context = g.contexts.front();
    std::string lower = g.colorText;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    auto mode = term::parseColorMode(lower);
    if (!mode)
        return fail(fmt::format("invalid --color value \"{}\": use auto, always or never", g.colorText));
    g.color = *mode;
    if (g.outputText == "yaml")
        g.output = app::Output::Yaml;
    else if (g.outputText == "json")
        g.output = app::Output::Json;
    else if (!g.outputText.empty())
        return fail(fmt::format("invalid -o \"{}\": use -o yaml or -o json", g.outputText));
    if (!g.requestTimeoutText.empty()) {
        auto timeout = core::parseDuration(g.requestTimeoutText, "--request-timeout");
        if (!timeout) return timeout.error();
        g.cluster.timeoutSeconds = std::chrono::duration<double>(*timeout).count();
    }
    return checkNamespace(g.cluster.ns);
}

}  // namespace shift::cli
