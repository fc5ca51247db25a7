package dev.herd.cli;

import java.util.ArrayList;
import java.util.List;

/** Columns aligned like {@code kubectl get}: upper-case header, three spaces between columns. Pure. */
final class Table {
    private static final String GAP = "   ";

    private Table() {
    }

    static List<String> render(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                boolean last = i == row.size() - 1;
                line.append(last ? row.get(i) : String.format("%-" + widths[i] + "s", row.get(i)));
                if (!last) {
                    line.append(GAP);
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
