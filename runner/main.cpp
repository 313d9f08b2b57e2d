// conform: runs the VOD conformance contract against an endpoint. All logic is in cli.cpp and
// the core library.
#include "cli.hpp"

int main(int argc, char** argv)
{
    return conform::cli_main(argc, argv);
}
