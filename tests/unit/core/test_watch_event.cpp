#include <doctest/doctest.h>

#include "core/watch_event.hpp"

using namespace shift;

TEST_SUITE("core::watch_event") {
    TEST_CASE("an object event carries its type, object and resourceVersion") {
        auto e = core::decodeWatchEvent(
            R"({"type":"MODIFIED","object":{"kind":"VirtualService","metadata":{"name":"reviews",)"
            R"("namespace":"prod","resourceVersion":"812"},"spec":{"hosts":["reviews"]}}})");
        REQUIRE(e.ok());
        CHECK(e->type == core::WatchEventType::Modified);
        CHECK(e->resourceVersion == "812");
        CHECK(e->object.at({"metadata", "name"})->str() == "reviews");
        CHECK(core::decodeWatchEvent(R"({"type":"ADDED","object":{"metadata":{"resourceVersion":"1"}}})")
                  ->type == core::WatchEventType::Added);
        CHECK(core::decodeWatchEvent(R"({"type":"DELETED","object":{"metadata":{"resourceVersion":"2"}}})")
                  ->type == core::WatchEventType::Deleted);
    }
    TEST_CASE("a bookmark carries only the resourceVersion to resume from") {
        auto e = core::decodeWatchEvent(
            R"({"type":"BOOKMARK","object":{"kind":"VirtualService","apiVersion":"networking.istio.io/v1",)"
            R"("metadata":{"resourceVersion":"9000"}}})");
        REQUIRE(e.ok());
        CHECK(e->type == core::WatchEventType::Bookmark);
        CHECK(e->resourceVersion == "9000");
    }
    TEST_CASE("an ERROR event carries the Status's code and message: 410 is a compacted resourceVersion") {
        auto e = core::decodeWatchEvent(
            R"({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
            R"j("message":"too old resource version: 5 (12)","reason":"Expired","code":410}})j");
        REQUIRE(e.ok());
        CHECK(e->type == core::WatchEventType::Error);
        CHECK(e->code == 410);
        CHECK(e->message == "too old resource version: 5 (12)");
        CHECK(e->resourceVersion.empty());
    }
    TEST_CASE("a line that is no watch event is an error quoting it") {
        for (const char* line :
             {"not json", "[1,2]", R"({"type":"ADDED"})", R"({"type":"RENAMED","object":{}})",
              R"({"type":"ADDED","object":{"metadata":{}}})"}) {
            CAPTURE(line);
            auto e = core::decodeWatchEvent(line);
            REQUIRE_FALSE(e.ok());
            CHECK(e.error().exit == kExitApi);
            CHECK(e.error().message.rfind("the server's watch stream sent ", 0) == 0);
        }
        auto long_line = core::decodeWatchEvent(std::string(200, 'x'));
        REQUIRE_FALSE(long_line.ok());
        CHECK(long_line.error().message.size() < 150);
        CHECK(long_line.error().message.substr(long_line.error().message.size() - 3) == "...");
    }
}
