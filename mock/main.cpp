// vod-mock: the reference mock of the VOD media-asset API. All logic is in the mock library.
#include "cli.hpp"

int main(int argc, char** argv)
{
    return vod_mock::mock_main(argc, argv);
}
