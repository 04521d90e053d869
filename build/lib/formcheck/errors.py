"""The one exception type the CLI turns into a one-line message and a non-zero exit."""


class FormcheckError(Exception):
    """Bad input or an unusable environment.

    The message is shown to the person as it is: it must say what is wrong and what to do.
    """
