#include "logging/LogCategories.h"

Q_LOGGING_CATEGORY(lcConfig, "openresync.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcReso, "openresync.reso", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "openresync.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "openresync.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDestination, "openresync.destination", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "openresync.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStats, "openresync.stats", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCli, "openresync.cli", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "openresync.ui", QtInfoMsg)
Q_LOGGING_CATEGORY(lcService, "openresync.service", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJobs, "openresync.jobs", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAlerts, "openresync.alerts", QtInfoMsg)
