#pragma once
// Reads a fixture of the doc tests (tests/data/doc/NAME).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

inline std::string readData(const std::string& name) {
    std::ifstream in(std::string(SHIFT_TEST_DATA) + "/doc/" + name, std::ios::binary);
    REQUIRE_MESSAGE(in, name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
