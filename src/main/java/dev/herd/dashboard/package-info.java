/**
 * Dashboard: what a person watching the fleet sees. A bounded history per pool (the last hour of
 * queue depth and replica counts, sampled off the reconcile and scaling state that already exists,
 * in a fixed-size ring of primitive columns) and live frames of the whole fleet pushed to viewers.
 * {@link dev.herd.dashboard.FleetViews} builds a frame from those states (pure);
 * {@link dev.herd.dashboard.FleetWatch} samples, reads the queues no scaler reads, and pushes frames
 * on its own thread. The page itself is static (META-INF/resources); its endpoints are in the api package.
 */
package dev.herd.dashboard;
