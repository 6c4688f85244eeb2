#include <doctest/doctest.h>

#include <deque>

#include "app/watch.hpp"
#include "doc/parse.hpp"

using namespace shift;

namespace {

// A VirtualService reviews-like object routing `v1` percent to v1 and the rest to v3.
std::string vs(const std::string& name, const std::string& rv, int v1, const std::string& annotations = "") {
    return R"({"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":")" + name +
           R"(","namespace":"prod","resourceVersion":")" + rv + "\"" +
           (annotations.empty() ? "" : R"(,"annotations":)" + annotations) +
           R"(},"spec":{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews","subset":"v1"},)" +
           R"("weight":)" + std::to_string(v1) +
           R"(},{"destination":{"host":"reviews","subset":"v3"},"weight":)" + std::to_string(100 - v1) +
           "}]}]}}";
}

std::string event(const std::string& type, const std::string& object) {
    return R"({"type":")" + type + R"(","object":)" + object + "}";
}

std::string bookmark(const std::string& rv) {
    return event("BOOKMARK", R"({"kind":"VirtualService","metadata":{"resourceVersion":")" + rv + "\"}}");
}

const std::string kGone =
    event("ERROR", R"({"kind":"Status","status":"Failure","reason":"Expired","code":410,)"
                   R"j("message":"too old resource version: 3 (9)"})j");

core::SplitReport report(const std::string& name, const std::string& rv, int v1) {
    auto parsed = doc::parseJson(vs(name, rv, v1), "test");
    REQUIRE(parsed.ok());
    auto r = core::reportOf(parsed->docs.front(), {});
    REQUIRE(r.ok());
    return *r;
}

struct Stream {
    std::vector<std::string> lines;
    Result<app::StreamOutcome> end = app::StreamOutcome{};
};

// Scripted listings and streams; the watch is asked to stop once the streams run out.
struct FakeSource final : app::WatchSource {
    std::deque<Result<app::Listing>> listings;
    std::deque<Stream> streams;
    std::vector<std::string> watchedFrom;  // the resourceVersion of each watch
    int lists = 0;
    bool done = false;

    Result<app::Listing> list() override {
        ++lists;
        REQUIRE(!listings.empty());
        auto l = listings.front();
        listings.pop_front();
        return l;
    }
    Result<app::StreamOutcome> watch(const std::string& rv,
                                     const std::function<void(std::string_view)>& onLine) override {
        watchedFrom.push_back(rv);
        REQUIRE(!streams.empty());
        Stream s = streams.front();
        streams.pop_front();
        for (const auto& line : s.lines) onLine(line);
        if (streams.empty()) done = true;
        return s.end;
    }
};

// What was printed, one entry per call: "+name v1=N" for a change, "-name" for a deletion, "!note".
struct RecordingSink final : app::WatchSink {
    std::vector<std::string> printed;
    void initial(const std::vector<core::SplitReport>& reports) override {
        printed.push_back("initial " + std::to_string(reports.size()));
        for (const auto& r : reports) changed(r);
    }
    void changed(const core::SplitReport& r) override {
        printed.push_back("+" + r.name + " v1=" + std::to_string(r.rules.at(0).destinations.at(0).weight) +
                          " @" + r.resourceVersion);
    }
    void deleted(const core::SplitReport& r) override { printed.push_back("-" + r.name); }
    void note(const std::string& m) override { printed.push_back("!" + m); }
};

struct Run {
    FakeSource source;
    RecordingSink sink;
    std::vector<double> slept;
    app::WatchControl control{[this] { return !source.done; },
                              [this](double s) {
                                  slept.push_back(s);
                                  return true;
                              },
                              {}};
    Status go() { return app::watchSplits(source, sink, control); }
};

app::Listing listing(std::vector<core::SplitReport> reports, const std::string& rv) {
    return app::Listing{std::move(reports), rv};
}

}  // namespace

TEST_SUITE("app::watch") {
    TEST_CASE("the current state first, then each change; the next stream resumes where the last ended") {
        Run run;
        run.source.listings.push_back(listing({report("reviews", "5", 100)}, "7"));
        run.source.streams.push_back({{event("MODIFIED", vs("reviews", "8", 90)), bookmark("12")}});
        run.source.streams.push_back(
            {{event("ADDED", vs("ratings", "13", 50)), event("DELETED", vs("ratings", "14", 50))}});
        REQUIRE(run.go().ok());
        CHECK(run.sink.printed == std::vector<std::string>{"initial 1", "+reviews v1=100 @5",
                                                           "+reviews v1=90 @8", "+ratings v1=50 @13",
                                                           "-ratings"});
        // The list's version, then the bookmark's: never the object's older one.
        CHECK(run.source.watchedFrom == std::vector<std::string>{"7", "12"});
        CHECK(run.slept.empty());
    }
    TEST_CASE("a change that leaves the split and the rollout's progress as they were prints nothing") {
        const std::string mark =
            R"({"traffic-shift.dev/rollout":"{\"holder\":\"ana\",\"command\":\"c\",\"step\":1,)"
            R"(\"steps\":2,\"started\":\"2026-12-01T03:00:00Z\",\"heartbeat\":\"HB\"}"})";
        auto at = [&](const std::string& hb) {
            std::string m = mark;
            m.replace(m.find("HB"), 2, hb);
            return m;
        };
        Run run;
        run.source.listings.push_back(listing({report("reviews", "5", 100)}, "5"));
        run.source.streams.push_back({{event("MODIFIED", vs("reviews", "6", 100)),  // labels, status...
                                       event("MODIFIED", vs("reviews", "7", 100, at("2026-12-01T03:00:01Z"))),
                                       event("MODIFIED", vs("reviews", "8", 100, at("2026-12-01T03:00:09Z"))),
                                       event("DELETED", vs("never-shown", "9", 100))}});
        REQUIRE(run.go().ok());
        // The mark appearing is a change; its heartbeat moving is not; an unknown deletion is nothing.
        CHECK(run.sink.printed ==
              std::vector<std::string>{"initial 1", "+reviews v1=100 @5", "+reviews v1=100 @7"});
    }
    TEST_CASE("410 Gone, as an ERROR event or an HTTP status, lists again and prints only what changed") {
        Run run;
        run.source.listings.push_back(
            listing({report("a", "2", 100), report("b", "3", 100), report("c", "3", 10)}, "3"));
        run.source.listings.push_back(listing({report("a", "2", 100), report("b", "10", 60)}, "11"));
        run.source.listings.push_back(listing({report("a", "2", 100), report("b", "10", 60)}, "15"));
        run.source.streams.push_back({{kGone}});
        run.source.streams.push_back({{}, app::StreamOutcome{app::StreamEnd::Gone, {}}});
        run.source.streams.push_back({{bookmark("16")}});
        REQUIRE(run.go().ok());
        CHECK(run.source.watchedFrom == std::vector<std::string>{"3", "11", "15"});
        REQUIRE(run.sink.printed.size() == 8);
        CHECK(run.sink.printed[4].rfind("!watch resynced: resourceVersion 3 had expired (410 Gone)", 0) == 0);
        CHECK(run.sink.printed[5] == "+b v1=60 @10");
        CHECK(run.sink.printed[6] == "-c");
        CHECK(run.sink.printed[7].rfind("!watch resynced: resourceVersion 11 had expired", 0) == 0);
        CHECK(run.slept.empty());
    }
    TEST_CASE("broken streams are retried with doubling waits, from the same resourceVersion") {
        Run run;
        const app::StreamOutcome broken{app::StreamEnd::Broken, "connection reset"};
        run.source.listings.push_back(listing({}, "4"));
        run.source.streams.push_back({{}, broken});
        run.source.streams.push_back({{}, broken});
        run.source.streams.push_back({{event("ADDED", vs("reviews", "5", 100))}});
        run.source.streams.push_back({{}, broken});  // a healthy stream in between starts the count over
        run.source.streams.push_back({{}});
        REQUIRE(run.go().ok());
        CHECK(run.source.watchedFrom == std::vector<std::string>{"4", "4", "4", "5", "5"});
        CHECK(run.slept == std::vector<double>{0.5, 1.0, 0.5});
        CHECK(run.sink.printed.at(1) == "!watch interrupted: connection reset; retrying in 0.5s");
    }
    TEST_CASE("after kWatchAttempts failures in a row the last one is the error") {
        Run run;
        run.source.listings.push_back(listing({}, "4"));
        for (int i = 0; i < app::kWatchAttempts; ++i)
            run.source.streams.push_back({{}, app::StreamOutcome{app::StreamEnd::Broken, "cannot connect"}});
        run.source.streams.push_back({{}});  // never reached
        auto s = run.go();
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().exit == kExitApi);
        CHECK(s.error().message == "cannot connect (the watch gave up after 5 attempts)");
        CHECK(run.slept.size() == std::size_t(app::kWatchAttempts - 1));
        CHECK(run.slept.back() == 4.0);
    }
    TEST_CASE(
        "an ERROR event other than 410 or a garbled line is a failure too; a failed relist is retried") {
        Run run;
        run.source.listings.push_back(listing({}, "4"));
        run.source.listings.push_back(fail("list failed", kExitApi));
        run.source.listings.push_back(listing({}, "20"));
        run.source.streams.push_back(
            {{event("ERROR", R"({"kind":"Status","code":500,"message":"etcd is sad"})")}});
        run.source.streams.push_back({{"garbage"}});
        run.source.streams.push_back({{kGone}});
        run.source.streams.push_back({{}});
        REQUIRE(run.go().ok());
        CHECK(run.sink.printed.at(1) ==
              "!watch interrupted: the server's watch stream reported 500: etcd is sad; "
              "retrying in 0.5s");
        CHECK(run.sink.printed.at(3) == "!watch interrupted: list failed; retrying in 2.0s");
        CHECK(run.source.watchedFrom == std::vector<std::string>{"4", "4", "4", "20"});
        CHECK(run.source.lists == 3);
    }
    TEST_CASE("the first listing's error ends the watch at once; a fatal answer to the watch too") {
        Run run;
        run.source.listings.push_back(fail("virtualservices \"x\" not found", kExitApi));
        CHECK(run.go().error().message == "virtualservices \"x\" not found");
        Run forbidden;
        forbidden.source.listings.push_back(listing({}, "1"));
        forbidden.source.streams.push_back({{}, fail("forbidden to watch", kExitApi)});
        forbidden.source.streams.push_back({{}});
        CHECK(forbidden.go().error().message == "forbidden to watch");
    }
    TEST_CASE("sameSplit: weights and the rollout's progress count, versions do not") {
        CHECK(app::sameSplit(report("a", "1", 50), report("a", "2", 50)));
        CHECK_FALSE(app::sameSplit(report("a", "1", 50), report("a", "1", 60)));
    }
}
