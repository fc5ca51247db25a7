package dev.herd.desired;

/** A count or a percentage of a replica count, as Kubernetes' IntOrString in rolling-update bounds. */
public sealed interface IntOrPercent {

    /** This value against {@code total}; a percentage is rounded up or down as asked. */
    int resolve(int total, boolean roundUp);

    /** How it is written in YAML: {@code 3} or {@code "25%"}. */
    String text();

    record Count(int value) implements IntOrPercent {
        public Count {
            if (value < 0) {
                throw new IllegalArgumentException("a count cannot be negative: " + value);
            }
        }

        @Override
        public int resolve(int total, boolean roundUp) {
            return value;
        }

        @Override
        public String text() {
            return Integer.toString(value);
        }
    }

    record Percent(int value) implements IntOrPercent {
        public Percent {
            if (value < 0 || value > 100) {
                throw new IllegalArgumentException("a percentage is between 0 and 100: " + value);
            }
        }

        @Override
        public int resolve(int total, boolean roundUp) {
            long scaled = (long) value * total;
            return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
        }

        @Override
        public String text() {
            return value + "%";
        }
    }
}
