#pragma once
// A Store in memory for the pipeline's tests: a VirtualService as YAML text, a version that every
// write bumps, and a concurrent writer the test arms to win the next writes.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "app/store.hpp"
#include "core/apply.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"

namespace shift::test {

class FakeStore : public app::Store {
   public:
    explicit FakeStore(std::string yaml) : text_(std::move(yaml)) {}

    // The next `n` writes find the object rewritten by someone else (with `text`, when given).
    void concurrentWrites(int n, std::string text = {}) {
        racing_ = n;
        racingText_ = std::move(text);
    }
    // The next write fails with this error (nothing written), as a server refusing it.
    void failNextWrite(std::string message) { failWrite_ = std::move(message); }
    // The next write is carried out, but its answer is lost (Error::maybeApplied), as a connection
    // that breaks after the server applied it.
    void loseNextAnswer() { loseAnswer_ = true; }
    // Someone else writes the object after shift's write: restore() then finds it changed.
    void writeAfterShift(std::string text) {
        text_ = std::move(text);
        ++version_;
    }
    void destinationRulesYaml(std::string yaml) { rulesText_ = std::move(yaml); }

    int reads = 0;
    int writes = 0;  // successful ones
    int restores = 0;
    std::vector<std::string> written;
    const std::string& text() const { return text_; }
    int version() const { return version_; }

    Result<app::Snapshot> read() override {
        ++reads;
        auto s = doc::parse(text_, "fake.yaml");
        if (!s) return s.error();
        object_ = std::move(*s);
        readText_ = text_;
        readVersion_ = std::to_string(version_);
        return app::Snapshot{&object_.docs.at(0), readVersion_};
    }

    // Only subsets are checked (hosts: No), against the DestinationRules given.
    Result<std::optional<core::Mesh>> mesh(const core::ShiftPlan&) override {
        if (rulesText_.empty()) return std::optional<core::Mesh>();
        auto s = doc::parse(rulesText_, "rules.yaml");
        if (!s) return s.error();
        rules_ = std::move(*s);
        core::Mesh mesh;
        core::collectKind(rules_, "DestinationRule", mesh.destinationRules);
        mesh.hosts = core::Mesh::Check::No;
        return std::optional<core::Mesh>(std::move(mesh));
    }

    Result<app::Change> write(const app::Snapshot& read, const core::ShiftPlan& plan,
                              app::DryRun dryRun) override {
        if (racing_ > 0) {
            --racing_;
            ++version_;
            if (!racingText_.empty()) text_ = racingText_;
        }
        app::Change change;
        if (!plan.changed || dryRun != app::DryRun::None) return change;
        if (!failWrite_.empty()) return fail(std::exchange(failWrite_, {}), kExitApi);
        if (read.version != std::to_string(version_)) {
            change.conflict = true;
            return change;
        }
        ++version_;
        ++writes;
        text_ = doc::toYaml(core::applyToTree(*read.object, plan.vs, plan.rules));
        if (std::exchange(loseAnswer_, false)) {
            Error lost{"the connection broke; the server may have applied it", kExitApi};
            lost.maybeApplied = true;
            return lost;
        }
        written.push_back(text_);
        writtenVersion_ = version_;
        return change;
    }

    Status restore() override {
        if (version_ != writtenVersion_) return fail("changed since shift wrote it", kExitConflict);
        ++restores;
        ++version_;
        text_ = readText_;
        return okStatus();
    }

    std::string conflictWarning(int next, int attempts) const override {
        return "conflict, attempt " + std::to_string(next) + " of " + std::to_string(attempts);
    }
    Error gaveUp(int attempts) const override {
        return fail("gave up after " + std::to_string(attempts), kExitConflict);
    }

   private:
    std::string text_;
    std::string rulesText_;
    std::string racingText_;
    int racing_ = 0;
    int version_ = 1;
    int writtenVersion_ = 0;
    std::string readText_;
    std::string failWrite_;
    bool loseAnswer_ = false;
    std::string readVersion_;
    doc::Stream object_;
    doc::Stream rules_;
};

}  // namespace shift::test
