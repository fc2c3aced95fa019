from playwright.sync_api import expect


def test_home_page_renders_in_french_with_no_csp_violation(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des clusters français")
    assert page.csp_violations == []
