"""The observatory's writes (each in ``transaction.atomic()``): the yearly evaluation of the fiches
(``evaluation``)."""
