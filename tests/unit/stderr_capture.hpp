#pragma once
// Captures what the code under test writes to stderr (fd 2) until finish(), through a file in a
// scratch directory, so a trace or warning can be checked line by line.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.hpp"

struct StderrCapture {
    TempDir dir;
    int saved = ::dup(2);
    StderrCapture() {
        int fd = ::open((dir.path / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 2);
        ::close(fd);
    }
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;
    std::string finish() {
        ::dup2(saved, 2);
        ::close(saved);
        std::ifstream in(dir.path / "err");
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
};
