#pragma once

#include <QStringList>

namespace ors {

// openresync-cli: every command the window offers, for servers and scripts. stdout carries
// only results (exactly one JSON document with --json); everything else goes to stderr.
class CliApp {
public:
    static int run(const QStringList& arguments);
};

} // namespace ors
