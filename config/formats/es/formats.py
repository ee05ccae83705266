"""Spanish as written for people in the United States: dates in words, but US numbers and
money ($1,512.61, not 1 512,61), as on the agency's English pages and on tax forms."""

DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "n/j/Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
