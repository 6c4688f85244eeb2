// `shift set -f FILE|DIR|-`: the pipeline of lib/app over the file store, then what it prints: the
// resulting manifest, a diff, or (with --in-place) the summary of the rewrite.
#include <fmt/format.h>

#include "app/apply.hpp"
#include "cmd_set.hpp"
#include "core/request.hpp"
#include "report.hpp"
#include "stores/file_store.hpp"
#include "term/diff.hpp"

namespace shift::cli {

namespace {

// The manifest goes to stdout unless it is rewritten in place or only its diff is asked for.
int print(const app::Outcome& out, const SetOptions& o, const Globals& g) {
    bool manifestOnStdout =
        g.output != app::Output::None || (!o.inPlace && !o.diff && o.dryRun == app::DryRun::None);
    std::FILE* info = manifestOnStdout ? stderr : stdout;
    bool color = term::useColor(g.color, fileno(info));
    const auto& c = out.change;
    if (o.diff || o.dryRun != app::DryRun::None) {
        emit(stdout, term::unifiedDiff(c.before, c.after, c.beforeLabel, c.afterLabel,
                                       term::useColor(g.color, fileno(stdout))));
    }
    if (!o.quiet) emit(info, summaryText(out.plan, term::isTerminal(fileno(info)), color));
    if (!o.quiet && !out.plan.changed)
        emit(info, fmt::format("{}: no change\n", core::qualifiedName(out.plan.vs)));
    bool written = o.inPlace && out.plan.changed && o.dryRun == app::DryRun::None;
    if (!o.quiet && !c.status.empty()) emit(stderr, c.status + "\n");
    if (!written && manifestOnStdout) emit(stdout, c.after);
    return o.exitCode && out.plan.changed ? kExitChanged : kExitOk;
}

}  // namespace

int runFiles(const SetOptions& o, const Globals& g) {
    auto request = requestOf(o);
    if (!request) return report(request.error());
    stores::FileStore store({o.filename, o.target.name, g.cluster.ns, g.output, o.inPlace, o.recursive,
                             o.target.kind, o.filenames},
                            warn);
    auto out = app::applyShift(store, *request, applyOptions(o));
    if (!out) return report(out.error());
    return print(*out, o, g);
}

}  // namespace shift::cli
