package bench.net;

import java.io.PrintStream;

/**
 * Maelstrom's {@code --log-net-send} and {@code --log-net-recv}: prints each message as
 * the network accepts it ({@code :send}) and as it is handed to its receiver
 * ({@code :recv}; a message a partition drops is never received), one line each, the
 * message as the receiver reads it; and passes every event on to another journal.
 */
public final class NetLog implements Network.Journal {

    private final Network.Journal next;
    private final PrintStream out;
    private final boolean sends;
    private final boolean receives;

    /**
     * A log of the sends, the receives, or both, on {@code out}, in front of {@code next}.
     *
     * @param next     the journal that hears of every event too
     * @param out      where the lines go
     * @param sends    whether sends are printed
     * @param receives whether receives are printed
     */
    public NetLog(Network.Journal next, PrintStream out, boolean sends, boolean receives) {
        this.next = next;
        this.out = out;
        this.sends = sends;
        this.receives = receives;
    }

    @Override
    public void sent(Network.Message message, long atNanos) {
        next.sent(message, atNanos);
        if (sends) {
            out.println(":send " + message.toLine());
        }
    }

    @Override
    public void delivered(Network.Message message, long atNanos, boolean dropped) {
        next.delivered(message, atNanos, dropped);
        if (receives && !dropped) {
            out.println(":recv " + message.toLine());
        }
    }
}
