# Numbers on the platform's Chinese pages are grouped by thousands with a comma, as in the
# bureau's reports and statistical bulletins ("1,661.8"); Django's zh_Hans groups by four with
# no separator. Every other format (dates, times) is Django's own.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
