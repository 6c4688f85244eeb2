#include "cmd_set.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <set>

#include "core/istio_version.hpp"
#include "core/undo.hpp"
#include "report.hpp"

namespace shift::cli {

void SetCommand::declare(CLI::App& app) {
    auto& o = options;
    // Missing positionals are reported by validate() and parseRequest(), with an example.
    app.add_option(
        "NAME", o.name,
        "VirtualService to shift, or TYPE/NAME (vs/NAME, httproute/NAME); several names before the "
        "split: all or nothing");
    app.add_option("KEY=WEIGHT", o.weights,
                   "New split as KEY=WEIGHT (KEY: subset, host, or HOST/SUBSET; WEIGHT: 0-100)");
    repeatable(
        app.add_option("-f,--filename", o.filenames,
                       "Read manifests from FILE, DIR (its *.yaml, *.yml, *.json) or - (stdin) instead of "
                       "the cluster; repeatable"),
        "FILE");
    app.add_flag("-R,--recursive", o.recursive, "With -f DIR: read its subdirectories' manifests too");
    app.add_flag("-i,--in-place", o.inPlace,
                 "With -f: rewrite the file atomically, changing only the values that shift");
    app.add_flag("--diff", o.diff, "Print a unified diff of the change (on the cluster: only it on stdout)");
    app.add_flag("-q,--quiet", o.quiet,
                 "No summary and no status line; on the cluster no diff either unless --diff (errors and "
                 "warnings still print)");
    app.add_flag(
           "--dry-run{client}", o.dryRunText,
           "client: show the diff, change nothing; server: also have the API server validate it (dryRun=All)")
        ->option_text("[=client|server|none]");
    app.add_flag("--exit-code", o.exitCode, "Exit 1 when the request changes (or would change) something");
    // One value per --route, as kubectl's repeated flags: `--route a NAME ...` must not eat NAME.
    repeatable(app.add_option(
                   "--route", o.shift.routes,
                   "Rule to shift: NAME, INDEX (of http), or LIST:INDEX (http:1, tcp:0, tls:0); repeatable"),
               "RULE");
    app.add_flag("--keep-zero", o.shift.split.keepZero,
                 "Keep destinations at weight 0 instead of removing them");
    app.add_flag("--explicit-weights", o.shift.split.explicitWeights,
                 "Write weight: 100 on a lone destination (Istio's samples omit it)");
    app.add_option(
           "--expect", o.expectText,
           "Change only if each targeted rule's split is now exactly SPLIT (e.g. v1=75,v3=25); else exit 8")
        ->option_text("SPLIT");
    app.add_flag(
        "--no-validate", o.noValidate,
        "Skip the checks of new hosts and subsets against Services, ServiceEntries and DestinationRules");
    repeatable(
        app.add_option("--adjust", o.adjust,
                       "Add (KEY=+N) or take (KEY=-N) percentage points; the other destinations give or "
                       "take them in proportion to their weights; repeatable"),
        "KEY=+N|KEY=-N");
    app.add_flag("--equal", o.equal,
                 "Give the KEYs named (no KEY: every current destination) equal shares, the remainder one "
                 "point each to the first");
    declarePins(app, o.pins, "keep KEY's weight while the others change");
    declareWeightSum(app, o.weightSumText, o.istioNamespace);
    declareSelection(app, o.selection, "Shift");
    declareForce(app, o.force);
    declareHistoryLimit(app, o.historyLimit);
    declareFieldManager(app, o.fieldManager);
}

void declarePins(CLI::App& app, std::vector<std::string>& pins, const char* what) {
    repeatable(app.add_option("--pin", pins, fmt::format("Pin a destination: {}; repeatable", what)), "KEY");
}

void declareWeightSum(CLI::App& app, std::string& weightSum, std::string& istioNamespace) {
    app.add_option("--weights", weightSum,
                   "What sum of weights the mesh accepts, where shift cannot read istiod (RBAC, files): "
                   "any-total (Istio 1.15+) or sum-100 (1.14 and older)")
        ->option_text("any-total|sum-100");
    app.add_option("--istio-namespace", istioNamespace,
                   "Namespace of the istiod Deployment whose version tells the weight rules (default "
                   "istio-system)")
        ->option_text("NS");
}

Status checkRequestFlags(const SetOptions& o) {
    if (!o.adjust.empty() && o.equal)
        return fail("--adjust and --equal are two ways to change the split; choose one");
    if (!o.adjust.empty() && !o.weights.empty()) {
        return fail(
            fmt::format("--adjust changes the split relative to now and {} sets it; give KEY=WEIGHT words or "
                        "--adjust, not both",
                        o.weights[0]));
    }
    return okStatus();
}

Result<core::Request> requestOf(const SetOptions& o) {
    auto request = !o.adjust.empty() ? core::parseAdjust(o.adjust)
                   : o.equal         ? core::parseEqual(o.weights)
                                     : core::parseRequest(o.weights);
    if (!request) return request.error();
    request->pins = o.pins;
    return request;
}

void declareForce(CLI::App& app, bool& force) {
    app.add_flag("--force", force,
                 "Write even while a rollout of the VirtualService is in progress (take over)");
}

void declareHistoryLimit(CLI::App& app, std::size_t& limit) {
    app.add_option("--history-limit", limit, "Revisions kept in the history annotation (default 10)")
        ->option_text("N");
}

void declareFieldManager(CLI::App& app, std::string& manager) {
    app.add_option("--field-manager", manager,
                   "Name of the manager recorded in managedFields (default shift)")
        ->option_text("NAME");
}

// The API server refuses a field manager over 128 characters or with control characters; say so first.
Status checkClusterFlags(std::size_t historyLimit, const std::string& fieldManager) {
    if (historyLimit < 1) return fail("--history-limit must be 1 or more");
    if (fieldManager.empty() || fieldManager.size() > 128)
        return fail("--field-manager must be 1 to 128 characters");
    for (unsigned char c : fieldManager) {
        if (c < 0x20 || c == 0x7f) return fail("--field-manager must not hold control characters");
    }
    return okStatus();
}

std::string recordedCommand(const SetOptions& o) { return recordedCommand(o, o.name); }

std::string recordedCommand(const SetOptions& o, const std::string& name) {
    std::string out = "set " + name;
    for (const auto& w : o.weights) out += " " + w;
    for (const auto& a : o.adjust) out += " --adjust " + a;
    if (o.equal) out += " --equal";
    for (const auto& p : o.pins) out += " --pin " + p;
    for (const auto& r : o.shift.routes) out += " --route " + r;
    return out;
}

Status SetCommand::complete(const Globals& globals) {
    const auto& dry = options.dryRunText;
    if (dry != "client" && dry != "server" && dry != "none")
        return fail(fmt::format("invalid --dry-run \"{}\": use client, server or none", dry));
    options.dryRun = dry == "client"   ? app::DryRun::Client
                     : dry == "server" ? app::DryRun::Server
                                       : app::DryRun::None;
    output = globals.output;
    options.filename = options.filenames.empty() ? std::string() : options.filenames[0];
    several_ = globals.contexts.size() > 1;
    if (auto st = splitNames(); !st) return st;
    if (!options.expectText.empty()) {
        auto expected = core::requestOfSplit(options.expectText);
        if (!expected) return fail("--expect " + expected.error().message);
        options.expect = std::move(*expected);
    }
    if (!options.weightSumText.empty()) {
        auto sum = core::parseWeightSum(options.weightSumText);
        if (!sum) return sum.error();
        options.shift.split.sum = *sum;
        options.shift.split.sumWhy = "--weights " + options.weightSumText;
    }
    return okStatus();
}

// With -l every word is the split; else the words before the first KEY=WEIGHT are names
// (`shift set reviews ratings v3=20`). A first word with '=' is left for validate's hint.
Status SetCommand::splitNames() {
    auto& o = options;
    if (!o.selection.selectorText.empty() && o.name.find('=') != std::string::npos) {
        o.weights.insert(o.weights.begin(), o.name);
        o.name.clear();
    } else if (!o.name.empty() && o.name.find('=') == std::string::npos) {
        auto split = std::find_if(o.weights.begin(), o.weights.end(),
                                  [](const std::string& w) { return w.find('=') != std::string::npos; });
        // Without any KEY=WEIGHT the words after NAME are a malformed split, not more names.
        if (split == o.weights.end()) split = o.weights.begin();
        o.selection.words.assign(1, o.name);
        o.selection.words.insert(o.selection.words.end(), o.weights.begin(), split);
        o.weights.erase(o.weights.begin(), split);
    }
    if (auto st = completeSelection(o.selection); !st) return st;
    several_ = several_ || o.selection.several();
    const auto& refs = o.selection.refs;
    if (refs.size() == 1) {
        o.name = refs[0].name;
        o.target = refs[0];
    }
    return okStatus();
}

namespace {

// `shift v1=90 v3=10 reviews`: the first word is a KEY=WEIGHT; show the line in the right order.
Error nameFirst(const SetOptions& o) {
    std::vector<std::string> words{o.name};
    words.insert(words.end(), o.weights.begin(), o.weights.end());
    auto name = std::find_if(words.begin(), words.end(),
                             [](const std::string& w) { return w.find('=') == std::string::npos; });
    std::string fixed = name == words.end() ? "NAME" : *name;
    for (auto it = words.begin(); it != words.end(); ++it) {
        if (it != name) fixed += " " + *it;
    }
    return fail(fmt::format("NAME comes first, then the split: kubectl shift {}", fixed));
}

}  // namespace

// Reject contradictions before any file or network is touched.
Status SetCommand::validate() const {
    const auto& o = options;
    if (o.name.empty() && !o.selection.selector) {
        return fail("name the VirtualService and the new split, e.g. `kubectl shift reviews v1=50 v3=50`");
    }
    if (o.name.find('=') != std::string::npos) return nameFirst(o);
    if (auto st = checkRequestFlags(o); !st) return st;
    if (several_ && !o.filename.empty())
        return fail(
            "-f shifts one VirtualService per run; give one NAME, or drop -f to shift several in the "
            "cluster");
    if (several_ && output != app::Output::None)
        return fail("-o prints one object; drop -o, or give one NAME (shift get shows several)");
    if (o.inPlace && o.filename.empty()) {
        return fail("--in-place rewrites a file; give it with -f FILE (the cluster is changed without it)");
    }
    if (std::count(o.filenames.begin(), o.filenames.end(), "-") > 1)
        return fail("-f - reads standard input once; give it one time");
    if (o.inPlace && std::count(o.filenames.begin(), o.filenames.end(), "-") > 0)
        return fail("--in-place needs a file, not standard input; give -f FILE");
    if (o.inPlace && output != app::Output::None) {
        return fail("-o prints the object and --in-place rewrites the file; choose one");
    }
    if (!o.filename.empty() && o.dryRun == app::DryRun::Server) {
        return fail("--dry-run=server needs the cluster; drop -f, or use --dry-run=client with files");
    }
    return checkClusterFlags(o.historyLimit, o.fieldManager);
}

app::ApplyOptions applyOptions(const SetOptions& o) {
    app::ApplyOptions a;
    a.shift = o.shift;
    a.validate = !o.noValidate;
    a.dryRun = o.dryRun;
    a.backoff = app::jitteredBackoff;
    a.warn = warn;
    a.expect = o.expect;
    return a;
}

int SetCommand::run(const Globals& globals) {
    if (several_) return runMany(options, globals);
    return options.filename.empty() ? runCluster(options, globals) : runFiles(options, globals);
}

// NAME first, then SUBSET= for the subsets not given yet; the number is the user's.
Candidates SetCommand::completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                                    const std::string& current) const {
    Candidates c;
    if (args.empty()) {
        c.words = completion::virtualServiceNames(scope);
        return c;
    }
    if (current.find('=') != std::string::npos) return c;
    std::set<std::string> given;
    for (std::size_t i = 1; i < args.size(); ++i) given.insert(args[i].substr(0, args[i].find('=')));
    std::set<std::string> seen;
    for (const auto& s : completion::subsetsOf(scope, args[0])) {
        if (!given.count(s) && seen.insert(s).second) c.words.push_back(s + "=");
    }
    c.noSpace = true;
    return c;
}

}  // namespace shift::cli
