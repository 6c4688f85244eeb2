#pragma once
// Manifest files as a store (-f FILE|DIR|-): the VirtualService is read from the one file that defines
// it, the Services, ServiceEntries and DestinationRules it is checked against from all of them; an in-place
// write happens only if the file still holds the content read (files::writeIfUnchanged), so a concurrent
// writer causes a re-read, never a lost update.
#include <string>
#include <vector>

#include "app/store.hpp"
#include "core/locate.hpp"
#include "doc/parse.hpp"

namespace shift::stores {

struct FileStoreOptions {
    std::string path;  // -f: a file, a directory or "-"
    std::string name;  // the VirtualService or HTTPRoute
    std::string ns;    // -n: only in this namespace when given
    app::Output output = app::Output::None;
    bool inPlace = false;
    bool recursive = false;                                  // -R: a directory's subdirectories too
    core::RouteKind kind = core::RouteKind::VirtualService;  // which kind `name` is
    std::vector<std::string> paths = {};  // every -f in order, when given more than once (path is the first)
};

class FileStore : public app::Store {
   public:
    FileStore(FileStoreOptions options, app::Warn warn);

    Result<app::Snapshot> read() override;
    Result<std::optional<core::Mesh>> mesh(const core::ShiftPlan& plan) override;
    Result<app::Change> write(const app::Snapshot& read, const core::ShiftPlan& plan,
                              app::DryRun dryRun) override;
    std::string conflictWarning(int next, int attempts) const override;
    Error gaveUp(int attempts) const override;

   private:
    struct Input {
        std::string path;
        doc::Stream stream;
    };
    std::string render(const core::ShiftPlan& plan) const;
    std::string label() const;

    FileStoreOptions options_;
    app::Warn warn_;
    std::vector<Input> inputs_;  // every manifest last read
    std::size_t holder_ = 0;     // the input that defines the VirtualService
    core::Location at_;          // where in it
};

}  // namespace shift::stores
