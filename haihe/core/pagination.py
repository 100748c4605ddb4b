from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of `queryset` for ?page=N; a bad page number gives the nearest valid page."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.querystring = query.urlencode()
    return page


def csv_download(filename: str):
    """An attachment response and a csv writer on it; UTF-8 with a BOM so Excel reads Chinese.
    The writer neutralises formulas (haihe.core.exports): every CSV export goes through it."""
    from django.http import HttpResponse

    from haihe.core.exports import CsvWriter

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, CsvWriter(response)
