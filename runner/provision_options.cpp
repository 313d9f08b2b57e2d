// The flags of fixtures made through the API: run --provision, provision, cleanup, sweep.
#include <cmath>

#include "options.hpp"

namespace conform {

using util::UsageError;

double parse_duration(const std::string& text, const std::string& flag)
{
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const auto unit = text.substr(used);
    const double scale = unit == "s" || unit == "" ? 1
                         : unit == "m"             ? 60
                         : unit == "h"             ? 3600
                         : unit == "d"             ? 86400
                                                   : 0;
    if (used == 0 || scale == 0 || !std::isfinite(value) || value < 0 || value > 365 * 86400.0) {
        throw UsageError(flag + ": '" + text + "' is not a duration such as 30s, 15m, 2h or 1d");
    }
    return value * scale;
}

bool parse_provision_flag(Options& o, const std::string& flag, util::ArgReader& reader)
{
    if (flag == "--provision" && o.command == "run") {
        o.provision = true;
    } else if (flag == "--keep-fixtures" && o.command == "run") {
        o.keep_fixtures = true;
    } else if (flag == "--fixtures-out" && (o.command == "provision" || o.command == "run")) {
        o.fixtures_out = reader.value();
    } else if (flag == "--template-group" && (o.command == "provision" || o.command == "run")) {
        o.settings["template_group"] = reader.value();
    } else if (flag == "--review-template" && (o.command == "provision" || o.command == "run")) {
        o.settings["review_template"] = reader.value();
    } else if (flag == "--older-than" && o.command == "sweep") {
        o.older_than = parse_duration(reader.value(), flag);
    } else if (flag == "--dry-run" && o.command == "sweep") {
        o.dry_run = true;
    } else {
        return false;
    }
    return true;
}

void check_provision_options(const Options& o)
{
    if (o.provision && o.fixtures) {
        throw UsageError("--provision makes the fixtures: drop --fixtures");
    }
    if ((o.keep_fixtures || o.fixtures_out || !o.settings.empty()) && o.command == "run" && !o.provision) {
        throw UsageError("--keep-fixtures, --fixtures-out, --template-group and --review-template go with --provision");
    }
    if (o.fixtures_out && o.command == "run" && !o.keep_fixtures) {
        throw UsageError("--fixtures-out with run --provision needs --keep-fixtures");
    }
    if (o.command == "provision" && !o.fixtures_out) {
        throw UsageError("conform provision needs --fixtures-out FILE");
    }
    if (o.command == "cleanup" && !o.fixtures) {
        throw UsageError("conform cleanup needs --fixtures FILE (written by conform provision or --keep-fixtures)");
    }
    if (o.command == "sweep" && !o.older_than) {
        throw UsageError(
            "conform sweep needs --older-than DURATION (e.g. 2h: what a concurrent run still uses is younger)");
    }
    if (o.mock && (o.command == "cleanup" || o.command == "sweep" || o.command == "provision")) {
        throw UsageError("--mock starts a fresh mock that ends with the command: give --base-url of a running one");
    }
}

}  // namespace conform
