// shift: the command table in commands.cpp does the work; this is only the process's entry.
#include "command.hpp"

int main(int argc, char** argv) { return shift::cli::main({argv + 1, argv + argc}); }
