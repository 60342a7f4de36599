package io.sparksweep;

/**
 * Something the user gave us is wrong (a sweep file, a dataset file, an option). The CLI prints the message as
 * one line and exits with code 2; nothing has been written when it is thrown.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
