from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = _("每页条数（最多 200）· page size (at most 200)")
    page_query_description = _("页码 · page number")
    max_page_size = 200
    invalid_page_message = _("没有这一页：页码超出范围。")
