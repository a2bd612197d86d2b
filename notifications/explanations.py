"""A delivery's last error in words for the office: "邮件服务器无法连接", not
"ConnectionRefusedError: [Errno 111] Connection refused".

A sender keeps the error as `<exception class>: <message>` (notifications.sending.deliver),
which only an operator reads. Pages show the explanation of its class (and, for a few
classes, of its message) on the delivery's channel, with the raw text beside it for the
operator. A skipped delivery's reason is already written in words (channels.SkipDelivery).
"""

from django.utils.translation import gettext_lazy as _

EMAIL = "email"
INAPP = "inapp"

# (exception class names, words in the message or None, {channel or None: explanation}); the first
# match wins, and within it the delivery's channel, else the entry for any channel (None).
RULES = [
    (("gaierror",), None, {
        EMAIL: _("找不到邮件服务器（服务器地址无法解析）"), None: _("找不到发送服务（服务器地址无法解析）"),
    }),
    (("ConnectionRefusedError", "SMTPConnectError"), None, {
        EMAIL: _("邮件服务器无法连接"), None: _("发送服务无法连接"),
    }),
    (("TimeoutError", "timeout", "SendTimedOut", "SoftTimeLimitExceeded"), None, {
        EMAIL: _("邮件服务器无响应（超时）"), None: _("发送服务无响应（超时）"),
    }),
    (("SMTPAuthenticationError",), None, {None: _("邮件服务器拒绝登录：发件账号或密码有误")}),
    (("SMTPRecipientsRefused",), None, {None: _("邮件服务器拒收：收件地址无效或不存在")}),
    (("SMTPSenderRefused",), None, {None: _("邮件服务器拒绝了发件地址")}),
    (("SMTPDataError",), None, {None: _("邮件服务器拒收了这封邮件")}),
    (("SMTPServerDisconnected", "ConnectionResetError", "ConnectionAbortedError", "BrokenPipeError"), None, {
        EMAIL: _("邮件服务器中途断开了连接"), None: _("发送服务中途断开了连接"),
    }),
    (("SSLError", "SSLCertVerificationError", "SMTPNotSupportedError"), None, {
        EMAIL: _("无法与邮件服务器建立加密连接"), None: _("无法与发送服务建立加密连接"),
    }),
    (("OSError",), ("unreachable", "No route to host", "Errno 101", "Errno 113"), {
        EMAIL: _("网络不通，到不了邮件服务器"), None: _("网络不通，到不了发送服务"),
    }),
    (("OperationalError", "InterfaceError", "DatabaseError", "IntegrityError"), None, {
        None: _("数据库暂时不可用，未能写入"),
    }),
    (("LookupError",), ("未配置", "not configured"), {None: _("该渠道已不在系统配置中")}),
]
FALLBACK = {EMAIL: _("邮件未能发出"), INAPP: _("站内通知未能写入"), None: _("未能发出")}


def exception_name(error):
    """The exception class at the front of a stored error ("SMTPDataError: (554, …)" → "SMTPDataError")."""
    head = error.split(":", 1)[0].strip()
    return head.rsplit(".", 1)[-1] if head and " " not in head else ""


def explain(channel, error):
    """The explanation, on `channel`, of a stored error; "" when there is none."""
    if not error:
        return ""
    name = exception_name(error)
    for names, words, texts in RULES:
        if name in names and (words is None or any(word in error for word in words)):
            return texts.get(channel) or texts[None]
    return FALLBACK.get(channel) or FALLBACK[None]
