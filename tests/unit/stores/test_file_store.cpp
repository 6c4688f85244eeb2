#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../temp_dir.hpp"
#include "app/apply.hpp"
#include "stores/file_store.hpp"

using namespace shift;

namespace {

const std::string kAllV1 =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n"
    "  - route:\n    - destination:\n        host: reviews\n        subset: v1\n";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

stores::FileStore inPlace(const std::string& path) {
    return stores::FileStore({path, "reviews", "", app::Output::None, true}, nullptr);
}

// A writer that rewrites the file between the pipeline's read and its write, `times` times: `text`, then
// `text` with one more line each time.
class Racing : public app::Store {
   public:
    Racing(app::Store& inner, std::string path, std::string text, int times)
        : inner_(inner), path_(std::move(path)), text_(std::move(text)), times_(times) {}
    Result<app::Snapshot> read() override { return inner_.read(); }
    Result<std::optional<core::Mesh>> mesh(const core::ShiftPlan& plan) override { return inner_.mesh(plan); }
    Result<app::Change> write(const app::Snapshot& read, const core::ShiftPlan& plan,
                              app::DryRun dry) override {
        if (times_-- > 0) {
            std::ofstream(path_, std::ios::binary) << text_;
            text_ += "# again\n";
        }
        return inner_.write(read, plan, dry);
    }
    std::string conflictWarning(int next, int attempts) const override {
        return inner_.conflictWarning(next, attempts);
    }
    Error gaveUp(int attempts) const override { return inner_.gaveUp(attempts); }

   private:
    app::Store& inner_;
    std::string path_, text_;
    int times_;
};

core::Request request(std::vector<std::string> args) { return *core::parseRequest(args); }

}  // namespace

TEST_SUITE("stores::file_store") {
    TEST_CASE("the version is the content read; a file changed since is a conflict, left as it is") {
        TempDir dir;
        auto path = dir.write("reviews.yaml", kAllV1);
        auto store = inPlace(path);
        auto read = store.read();
        REQUIRE(read.ok());
        CHECK(read->version == kAllV1);
        auto plan = core::planShift(*read->object, request({"v1=50", "v3=50"}), {}, nullptr);
        REQUIRE(plan.ok());
        const std::string other = "# another writer\n" + kAllV1;
        std::ofstream(path, std::ios::binary) << other;
        auto change = store.write(*read, *plan, app::DryRun::None);
        REQUIRE(change.ok());
        CHECK(change->conflict);
        CHECK(slurp(path) == other);
    }

    TEST_CASE("a concurrent in-place writer causes a re-read and re-plan, never a lost update") {
        TempDir dir;
        auto path = dir.write("reviews.yaml", kAllV1);
        auto files = inPlace(path);
        const std::string other = "# another writer\n" + kAllV1;
        Racing store(files, path, other, 1);
        std::vector<std::string> warnings;
        std::vector<int> backoffs;
        app::ApplyOptions o;
        o.warn = [&](const std::string& w) { warnings.push_back(w); };
        o.backoff = [&](int attempt) { backoffs.push_back(attempt); };
        auto out = app::applyShift(store, request({"v1=50", "v3=50"}), o);
        REQUIRE(out.ok());
        auto now = slurp(path);
        CHECK(now.rfind("# another writer\n", 0) == 0);  // the other write survives
        CHECK(now.find("weight: 50") != std::string::npos);
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0] == path +
                                 " changed while shifting (another writer rewrote it); re-reading it and "
                                 "planning again (attempt 2 of 8)");
        CHECK(backoffs == std::vector<int>{1});
    }

    TEST_CASE("a file that keeps changing: exit 4 and nothing of ours written") {
        TempDir dir;
        auto path = dir.write("reviews.yaml", kAllV1);
        auto files = inPlace(path);
        const std::string other = "# another writer\n" + kAllV1;
        Racing store(files, path, other, 100);
        app::ApplyOptions o;
        o.attempts = 3;
        auto out = app::applyShift(store, request({"v1=50", "v3=50"}), o);
        REQUIRE_FALSE(out.ok());
        CHECK(out.error().exit == kExitConflict);
        CHECK(out.error().message == path +
                                         " kept changing while shifting: gave up after 3 attempts, nothing "
                                         "written; retry when other writers are done");
        CHECK(slurp(path) == other + "# again\n# again\n");
    }
}
