"""The business tax account: who may act for a business or an estate (its Designated Officials
and Designated Users), and which account a signed-in person is acting for."""
