/**
 * Testing: the rig that starts real, private redis-server and zinit-server processes for tests
 * and always stops them (watchdog for a killed JVM). No test needs a server the rig did not start.
 * {@link dev.herd.testing.HeadlessChromium} drives Debian's Chromium for tests of the dashboard.
 */
package dev.herd.testing;
