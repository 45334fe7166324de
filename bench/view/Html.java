package bench.view;

/** Escaping for text put into HTML and SVG, the one place the pictures and pages do it. */
public final class Html {

    private Html() {
    }

    /** {@code text} safe inside an element or a quoted attribute. */
    public static String escape(String text) {
        return escape(new StringBuilder(text.length() + 16), text).toString();
    }

    /**
     * Appends {@code text} to {@code out}, safe inside an element or a quoted attribute;
     * returns {@code out}. The runs between characters to replace are copied whole: the
     * pictures of a long run pass megabytes of message bodies through here.
     */
    public static StringBuilder escape(StringBuilder out, String text) {
        int copied = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> c < 0x20 && c != '\n' && c != '\t' ? " " : null;
            };
            if (replacement != null) {
                out.append(text, copied, i).append(replacement);
                copied = i + 1;
            }
        }
        return out.append(text, copied, text.length());
    }
}
