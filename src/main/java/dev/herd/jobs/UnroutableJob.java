package dev.herd.jobs;

/** A job no pool can take: refused at once, never left dispatched. */
public final class UnroutableJob extends RuntimeException {
    public UnroutableJob(String message) {
        super(message);
    }
}
