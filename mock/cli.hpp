#pragma once

namespace vod_mock {

int mock_main(int argc, char** argv);

}  // namespace vod_mock
