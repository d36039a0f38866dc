import pytest

from lianxin.accounts.models import Role
from lianxin.testing import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport(360, 740)
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_logs_in_to_a_chinese_workbench_on_a_phone(page, login, role):
    community = f.CommunityFactory()
    user = f.UserFactory(
        username=f"u-{role}",
        role=role,
        communities=[community],
        department=f.DepartmentFactory() if role == Role.HANDLER else None,
    )
    login(page, user)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text().endswith("您好")
    # The menu is behind a button on a phone, and opens.
    page.get_by_role("button", name="菜单").click()
    assert page.get_by_role("link", name="工作台").is_visible()
    no_horizontal_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )
    assert no_horizontal_scroll


def test_logout_returns_to_the_login_page(page, login):
    user = f.UserFactory(username="u-logout", role=Role.ADMIN)
    login(page, user)
    page.get_by_role("button", name=user.display_name).click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.get_by_role("heading", level=1).inner_text().startswith("连心")
