#include <doctest/doctest.h>

#include <string_view>
#include <vector>

#include "term/myers.hpp"

using shift::term::detail::Lines;
using shift::term::detail::markChanges;
using shift::term::detail::Marks;

namespace {

using Flags = std::vector<char>;

// The lines whose flag is 0: what the edit script keeps.
Lines kept(const Lines& lines, const Flags& changed) {
    Lines out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (!changed[i]) out.push_back(lines[i]);
    }
    return out;
}

size_t count(const Flags& changed) {
    size_t n = 0;
    for (char c : changed) n += c != 0;
    return n;
}

}  // namespace

TEST_SUITE("term::myers") {
    TEST_CASE("empty sides") {
        SUBCASE("both empty: nothing to mark") {
            Marks m = markChanges({}, {}, 0);
            CHECK(m.a.empty());
            CHECK(m.b.empty());
            CHECK(m.prefix == 0);
            CHECK(m.suffix == 0);
        }
        SUBCASE("an empty before: every line is inserted") {
            Marks m = markChanges({}, {"a\n", "b\n"}, 3);
            CHECK(m.a.empty());
            CHECK(m.b == Flags{1, 1});
        }
        SUBCASE("an empty after: every line is deleted") {
            Marks m = markChanges({"a\n", "b\n"}, {}, 3);
            CHECK(m.a == Flags{1, 1});
            CHECK(m.b.empty());
        }
    }

    TEST_CASE("identical texts: no change, and all of it is the identical prefix") {
        const Lines text{"a\n", "b\n", "c\n", "d\n"};
        Marks m = markChanges(text, text, 0);
        CHECK(m.a == Flags{0, 0, 0, 0});
        CHECK(m.b == Flags{0, 0, 0, 0});
        CHECK(m.prefix == 4);
        CHECK(m.suffix == 0);
        // The horizon keeps that many lines of the identical ends in the search.
        CHECK(markChanges(text, text, 1).prefix == 3);
    }

    TEST_CASE("one insert") {
        Marks m = markChanges({"a\n", "b\n", "c\n"}, {"a\n", "x\n", "b\n", "c\n"}, 0);
        CHECK(m.a == Flags{0, 0, 0});
        CHECK(m.b == Flags{0, 1, 0, 0});
        CHECK(m.prefix == 1);
        CHECK(m.suffix == 2);
    }

    TEST_CASE("one delete") {
        Marks m = markChanges({"a\n", "b\n", "c\n"}, {"a\n", "c\n"}, 0);
        CHECK(m.a == Flags{0, 1, 0});
        CHECK(m.b == Flags{0, 0});
    }

    TEST_CASE("a replacement deletes the old line and inserts the new one") {
        Marks m = markChanges({"a\n", "b\n", "c\n"}, {"a\n", "B\n", "c\n"}, 3);
        CHECK(m.a == Flags{0, 1, 0});
        CHECK(m.b == Flags{0, 1, 0});
        CHECK(m.prefix == 0);  // the horizon of 3 keeps the one identical line at either end
        CHECK(m.suffix == 0);
    }

    TEST_CASE("a last line without its newline is a different line") {
        Marks m = markChanges({"a\n", "b\n"}, {"a\n", "b"}, 0);
        CHECK(m.a == Flags{0, 1});
        CHECK(m.b == Flags{0, 1});
    }

    TEST_CASE("the paper's example: ABCABBA to CBABAC in the shortest script, 5 edits") {
        const Lines a{"A", "B", "C", "A", "B", "B", "A"}, b{"C", "B", "A", "B", "A", "C"};
        Marks m = markChanges(a, b, 0);
        CHECK(count(m.a) + count(m.b) == 5);
        CHECK(kept(a, m.a) == kept(b, m.b));
    }
}
