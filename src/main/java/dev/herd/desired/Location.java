package dev.herd.desired;

/** A position in a YAML file, both counted from 1 (0 for "the whole file"). */
public record Location(int line, int column) {
    public static final Location FILE = new Location(0, 0);
}
